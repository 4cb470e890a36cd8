using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Platform.Identity;
using Dragon.Platform.Jobs;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>
/// The key ceremony through HTTP: nodes upload real public-key shares signed with their identity keys; the collective
/// key really encrypts for them, and the roster the platform publishes lets anyone check every share's signature.
/// </summary>
public abstract class KeySetApiTests(ApiFixture fixture)
{
    private const string Preset = "bfv-8192";
    private TestAccounts Accounts => fixture.Factory.Accounts;

    [Fact]
    public async Task KeySet_IsReadByItsMembers_TheirStewards_AndResearchersWithAgreementsOverThem_OthersGet404()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var accounts = fixture.Factory.Accounts;
        var path = $"/api/v1/key-sets/{s.KeySetId}";
        var cohortSteward = await accounts.NewUserAsync(DragonRoles.DataSteward);
        (await (await accounts.AdminAsync()).PostAsJsonAsync($"/api/v1/cohorts/{s.Cohorts[1].Id}/stewards",
            new Dragon.Contracts.Catalogue.AddStewardRequest(cohortSteward.User.Id), DragonJson.Options)).EnsureSuccessStatusCode();

        foreach (var reader in new[] { s.Nodes[0].Client, s.Steward.Client, cohortSteward.Client, s.Researcher.Client, (await accounts.AsAsync(DragonRoles.Auditor)).Client, await accounts.AdminAsync() })
        {
            Assert.Equal(s.KeySetId, (await (await reader.GetAsync(path)).ReadAsAsync<KeySetResponse>(HttpStatusCode.OK)).Id);
        }
        foreach (var outsider in new[] { (await accounts.EnrollNodeAsync()).Client, (await accounts.NewUserAsync(DragonRoles.DataSteward)).Client, (await accounts.NewUserAsync(DragonRoles.Researcher)).Client })
        {
            await (await outsider.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await (await accounts.NewUserAsync(DragonRoles.Patient)).Client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task ThreeNodesUploadTheirShares_TheCollectiveKeyDecryptsWithTheirJointShares()
    {
        var nodes = await NodesAsync(3);
        var keySet = await CreateAsync(nodes, Preset);
        var parameters = EncryptionParameters.FromPreset(Preset);
        var secrets = new List<SecretKey>();

        KeySetResponse last = keySet;
        foreach (var node in nodes)
        {
            var task = Assert.Single(await (await node.Client.GetAsync("/api/v1/nodes/me/tasks")).ReadAsAsync<List<NodeTask>>(HttpStatusCode.OK), t => t.KeySetId == keySet.Id);
            Assert.Equal(("keyShare", Preset, keySet.CommonSeed), (task.Kind, task.Parameters, task.CommonSeed));
            var secret = new KeyGenerator(parameters).SecretKey;
            secrets.Add(secret);
            last = await UploadAsync(node, keySet, Share(parameters, secret, task.CommonSeed));
        }

        Assert.Equal("Ready", last.Status);
        Assert.All(last.Nodes, member => Assert.True(member.ShareUploaded));
        var publicKey = PublicKey.ReadFrom(Convert.FromBase64String(last.CollectivePublicKey!), parameters);
        long[] values = [5, -3, 1_000_000, 0, 42];
        var encoder = new IntegerEncoder(parameters);
        var ciphertext = CiphertextVector.Encrypt(new Encryptor(parameters, publicKey), encoder, values);
        var decryption = new DecryptionShareProtocol(parameters, partyCount: 3, ciphertextCount: 1);
        var combined = decryption.AggregateSharesNew(secrets.Select(s => decryption.GenShareNew(s, ciphertext)));
        Assert.Equal(values, decryption.Decrypt(ciphertext, combined, encoder)[..values.Length]);
        Assert.DoesNotContain(await (await nodes[0].Client.GetAsync("/api/v1/nodes/me/tasks")).ReadAsAsync<List<NodeTask>>(HttpStatusCode.OK), t => t.KeySetId == keySet.Id);
    }

    [Fact]
    public async Task SharesUploadedAtTheSameTime_StillMakeTheCollectiveKey()
    {
        var nodes = await NodesAsync(3);
        var keySet = await CreateAsync(nodes, Preset);
        var parameters = EncryptionParameters.FromPreset(Preset);

        await Task.WhenAll(nodes.Select(node => UploadAsync(node, keySet, Share(parameters, new KeyGenerator(parameters).SecretKey, keySet.CommonSeed))));

        var read = await (await nodes[0].Client.GetAsync($"/api/v1/key-sets/{keySet.Id}")).ReadAsAsync<KeySetResponse>(HttpStatusCode.OK);
        Assert.Equal("Ready", read.Status);
        Assert.NotNull(read.CollectivePublicKey);
    }

    [Fact]
    public async Task Share_UploadedTwice_IsAcceptedOnce_AndCannotBeReplaced()
    {
        var nodes = await NodesAsync(2);
        var keySet = await CreateAsync(nodes, Preset);
        var parameters = EncryptionParameters.FromPreset(Preset);
        var share = Share(parameters, new KeyGenerator(parameters).SecretKey, keySet.CommonSeed);

        await UploadAsync(nodes[0], keySet, share);
        var again = await UploadAsync(nodes[0], keySet, share);
        var replaced = await (await PostShareAsync(nodes[0], keySet, Share(parameters, new KeyGenerator(parameters).SecretKey, keySet.CommonSeed)))
            .AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("Pending", again.Status);
        Assert.Equal("key_set.share_already_uploaded", replaced.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("AAAA")]
    [InlineData("wrong-parameters")]
    [InlineData("truncated")]
    [InlineData("sum of two parties")]
    public async Task MalformedShare_IsRefusedAndStoresNothing(string kind)
    {
        var nodes = await NodesAsync(2);
        var keySet = await CreateAsync(nodes, Preset);
        var parameters = EncryptionParameters.FromPreset(Preset);
        var good = Convert.FromBase64String(Share(parameters, new KeyGenerator(parameters).SecretKey, keySet.CommonSeed));
        var other = EncryptionParameters.FromPreset("bfv-16384");
        var body = kind switch
        {
            "wrong-parameters" => Share(other, new KeyGenerator(other).SecretKey, keySet.CommonSeed),
            "truncated" => Convert.ToBase64String(good[..(good.Length / 2)]),
            "sum of two parties" => SumOfTwo(parameters, keySet.CommonSeed),
            _ => kind,
        };

        var problem = await (await PostShareAsync(nodes[0], keySet, body)).AssertProblemAsync(HttpStatusCode.BadRequest);
        var read = await (await nodes[0].Client.GetAsync($"/api/v1/key-sets/{keySet.Id}")).ReadAsAsync<KeySetResponse>(HttpStatusCode.OK);

        Assert.NotEmpty(problem.FieldErrors("share"));
        Assert.All(read.Nodes, member => Assert.False(member.ShareUploaded));
    }

    [Fact]
    public async Task NodeOutsideTheSet_GetsNotFound()
    {
        var nodes = await NodesAsync(3);
        var keySet = await CreateAsync(nodes[..2], Preset);
        var parameters = EncryptionParameters.FromPreset(Preset);

        await (await PostShareAsync(nodes[2], keySet, Share(parameters, new KeyGenerator(parameters).SecretKey, keySet.CommonSeed)))
            .AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("unsigned")]
    [InlineData("signed by another node")]
    [InlineData("signed for another party index")]
    [InlineData("signed for another share")]
    [InlineData("not a signature")]
    public async Task Share_WithoutItsNodesSignatureOverIt_IsRefusedAndStoresNothing(string signature)
    {
        var nodes = await NodesAsync(3);
        var keySet = await CreateAsync(nodes, Preset);
        var parameters = EncryptionParameters.FromPreset(Preset);
        var share = Share(parameters, new KeyGenerator(parameters).SecretKey, keySet.CommonSeed);
        var index = keySet.Nodes.Select(n => n.NodeId).Order().ToList().IndexOf(nodes[0].Credentials.NodeId);
        var text = signature switch
        {
            "unsigned" => null,
            "signed by another node" => nodes[1].SignKeyShare(keySet, share),
            "signed for another party index" => Convert.ToBase64String(nodes[0].Sign(SignedStatements.KeyShare(keySet.Id, Convert.FromBase64String(keySet.CommonSeed),
                (index + 1) % 3, nodes[0].Credentials.NodeId, SHA256.HashData(Convert.FromBase64String(share))))),
            "signed for another share" => nodes[0].SignKeyShare(keySet, Share(parameters, new KeyGenerator(parameters).SecretKey, keySet.CommonSeed)),
            _ => Convert.ToBase64String(new byte[64]),
        };

        var problem = await (await nodes[0].Client.PostAsJsonAsync($"/api/v1/key-sets/{keySet.Id}/shares", new KeyShareUpload(share, text), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        var read = await (await nodes[0].Client.GetAsync($"/api/v1/key-sets/{keySet.Id}")).ReadAsAsync<KeySetResponse>(HttpStatusCode.OK);

        Assert.NotEmpty(problem.FieldErrors("signature"));
        Assert.All(read.Nodes, member => Assert.False(member.ShareUploaded));
    }

    [Fact]
    public async Task Roster_ListsEveryMembersIdentityKeyAndSignedShare_InPartyOrder()
    {
        var nodes = await NodesAsync(3);
        var keySet = await CreateAsync(nodes, Preset);
        var parameters = EncryptionParameters.FromPreset(Preset);
        foreach (var node in nodes)
        {
            await UploadAsync(node, keySet, Share(parameters, new KeyGenerator(parameters).SecretKey, keySet.CommonSeed));
        }

        var read = await (await nodes[0].Client.GetAsync($"/api/v1/key-sets/{keySet.Id}")).ReadAsAsync<KeySetResponse>(HttpStatusCode.OK);

        var members = read.Members!;
        Assert.Equal([.. nodes.Select(n => n.Credentials.NodeId).Order()], members.Select(m => m.NodeId));
        Assert.Equal([0, 1, 2], members.Select(m => m.PartyIndex));
        Assert.Equal(65_536, read.MaxDecryptedParts);
        var protocol = new PublicKeyGenProtocol(parameters);
        foreach (var member in members)
        {
            var node = nodes.Single(n => n.Credentials.NodeId == member.NodeId);
            var publicKey = Convert.FromBase64String(member.PublicKey!);
            var share = Convert.FromBase64String(member.Share!);
            Assert.Equal(node.Identity.ExportSubjectPublicKeyInfo(), publicKey);
            Assert.Equal(Dragon.Contracts.Nodes.IdentityKeys.Fingerprint(publicKey), member.Fingerprint);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(share)), member.ShareDigest);
            Assert.True(Dragon.Contracts.Nodes.IdentityKeys.Verify(publicKey, SignedStatements.KeyShare(keySet.Id, Convert.FromBase64String(keySet.CommonSeed),
                member.PartyIndex, member.NodeId, SHA256.HashData(share)), Convert.FromBase64String(member.Signature!)));
        }
        var recomputed = protocol.GenPublicKeyNew(protocol.AggregateSharesNew(members.Select(m => PublicKeyGenShare.ReadFrom(Convert.FromBase64String(m.Share!), parameters))),
            protocol.SampleCrp(Convert.FromBase64String(read.CommonSeed)));
        Assert.Equal(Convert.FromBase64String(read.CollectivePublicKey!), recomputed.ToArray());
    }

    [Theory]
    [InlineData("bfv-4096", 3)]
    [InlineData("bfv-4096-batch", 2)]
    public async Task Create_WithAPresetWhoseSmudgingCannotMeetTheTarget_IsRefusedNamingTheOnesThatCan(string preset, int count)
    {
        var nodes = await NodesAsync(count);
        var steward = (await Accounts.AsAsync(DragonRoles.DataSteward)).Client;

        var problem = await (await steward.PostAsJsonAsync("/api/v1/key-sets", new KeySetRequest([.. nodes.Select(n => n.Credentials.NodeId)], preset), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        var message = Assert.Single(problem.FieldErrors("parameters"));
        Assert.Contains("bfv-8192", message, StringComparison.Ordinal);
        Assert.Contains("2^-40", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithMoreNodesThanTheNoiseAnalysisCovers_IsRefused()
    {
        var steward = (await Accounts.AsAsync(DragonRoles.DataSteward)).Client;
        var before = await KeySetCountAsync();

        var problem = await (await steward.PostAsJsonAsync("/api/v1/key-sets",
                new KeySetRequest([.. Enumerable.Range(0, KeySets.MaxNodes + 1).Select(_ => Guid.NewGuid())], Preset), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains($"2 to {KeySets.MaxNodes}", Assert.Single(problem.FieldErrors("nodeIds"), m => m.Contains("different nodes", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(before, await KeySetCountAsync());
    }

    [Fact]
    public async Task Create_WithAnInactiveNodeOrUnknownParameters_IsRefused()
    {
        var active = await Accounts.EnrollNodeAsync();
        var pending = await Accounts.EnrollNodeAsync(approve: false);
        var steward = (await Accounts.AsAsync(DragonRoles.DataSteward)).Client;

        var problem = await (await steward.PostAsJsonAsync("/api/v1/key-sets",
                new KeySetRequest([active.Credentials.NodeId, pending.Credentials.NodeId], "bfv-1024-insecure"), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("nodeIds"));
        Assert.NotEmpty(problem.FieldErrors("parameters"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Create_WithAThresholdOutsideTwoToTheMemberCount_IsRefused(int threshold)
    {
        var nodes = await NodesAsync(3);
        var steward = (await Accounts.AsAsync(DragonRoles.DataSteward)).Client;

        var problem = await (await steward.PostAsJsonAsync("/api/v1/key-sets", new KeySetRequest([.. nodes.Select(n => n.Credentials.NodeId)], Preset, threshold), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("threshold", Assert.Single(problem.FieldErrors("threshold")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoOfThreeCeremony_SharesDealtThroughThePlatform_LetEveryPairDecrypt_AndBadDealsAreRefused()
    {
        var nodes = await NodesAsync(3);
        var steward = (await Accounts.AsAsync(DragonRoles.DataSteward)).Client;
        var keySet = await (await steward.PostAsJsonAsync("/api/v1/key-sets", new KeySetRequest([.. nodes.Select(n => n.Credentials.NodeId)], Preset, 2), DragonJson.Options))
            .ReadAsAsync<KeySetResponse>(HttpStatusCode.Created);
        Assert.Equal(2, keySet.Threshold);
        var parameters = EncryptionParameters.FromPreset(Preset);
        var ordered = nodes.OrderBy(n => n.Credentials.NodeId).ToList();
        var secrets = ordered.Select(_ => new KeyGenerator(parameters).SecretKey).ToList();
        var exchange = ordered.Select(_ => ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256)).ToList();

        var unsigned = await ordered[0].Client.PostAsJsonAsync($"/api/v1/key-sets/{keySet.Id}/shares",
            new KeyShareUpload(Share(parameters, secrets[0], keySet.CommonSeed), ordered[0].SignKeyShare(keySet, Share(parameters, secrets[0], keySet.CommonSeed))), DragonJson.Options);
        Assert.NotEmpty((await unsigned.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("exchangeKey"));
        KeySetResponse last = keySet;
        for (var i = 0; i < ordered.Count; i++)
        {
            var share = Share(parameters, secrets[i], keySet.CommonSeed);
            var exchangeKey = exchange[i].ExportSubjectPublicKeyInfo();
            var signature = Convert.ToBase64String(ordered[i].Sign(SignedStatements.ThresholdKeyShare(keySet.Id, Convert.FromBase64String(keySet.CommonSeed), i,
                ordered[i].Credentials.NodeId, SHA256.HashData(Convert.FromBase64String(share)), 2, 3, exchangeKey)));
            last = await (await ordered[i].Client.PostAsJsonAsync($"/api/v1/key-sets/{keySet.Id}/shares", new KeyShareUpload(share, signature, Convert.ToBase64String(exchangeKey)), DragonJson.Options))
                .ReadAsAsync<KeySetResponse>(HttpStatusCode.OK);
        }
        Assert.Equal("Sharing", last.Status);
        var task = Assert.Single(await (await ordered[0].Client.GetAsync("/api/v1/nodes/me/tasks")).ReadAsAsync<List<NodeTask>>(HttpStatusCode.OK), t => t.KeySetId == keySet.Id);
        Assert.Equal("thresholdShares", task.Kind);

        var deals = ordered.Select((dealer, i) => JobScenario.Deal(keySet.Id, dealer, exchange[i], new Thresholdizer(parameters).Deal(secrets[i], 2, 3), ordered, last.Members!)).ToList();
        var missingOne = await ordered[0].Client.PostAsJsonAsync($"/api/v1/key-sets/{keySet.Id}/threshold-shares", new ThresholdSharesUpload([.. deals[0].Shares!.Take(2)]), DragonJson.Options);
        await missingOne.AssertProblemAsync(HttpStatusCode.BadRequest);
        var forged = deals[0].Shares!.Select((s, j) => j == 1 ? s with { Signature = deals[1].Shares![1].Signature } : s).ToList();
        await (await ordered[0].Client.PostAsJsonAsync($"/api/v1/key-sets/{keySet.Id}/threshold-shares", new ThresholdSharesUpload(forged), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        for (var i = 0; i < ordered.Count; i++)
        {
            last = await (await ordered[i].Client.PostAsJsonAsync($"/api/v1/key-sets/{keySet.Id}/threshold-shares", deals[i], DragonJson.Options)).ReadAsAsync<KeySetResponse>(HttpStatusCode.OK);
        }
        Assert.Equal("Ready", last.Status);
        Assert.All(last.Members!, m => Assert.True(m.Dealt));
        var outsider = await Accounts.EnrollNodeAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Client.GetAsync($"/api/v1/key-sets/{keySet.Id}/threshold-shares")).StatusCode);

        var combined = new List<ThresholdShare>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var received = await (await ordered[i].Client.GetAsync($"/api/v1/key-sets/{keySet.Id}/threshold-shares")).ReadAsAsync<List<SealedThresholdShare>>(HttpStatusCode.OK);
            Assert.Equal(3, received.Count);
            combined.Add(new Thresholdizer(parameters).Combine(received.Select(r =>
            {
                var dealer = ordered.FindIndex(n => n.Credentials.NodeId == r.DealerId);
                var opened = ThresholdShareSeal.Open(exchange[i], exchange[dealer].ExportSubjectPublicKeyInfo(), keySet.Id, r.DealerId, ordered[i].Credentials.NodeId, Convert.FromBase64String(r.Ciphertext!));
                return ThresholdShare.ReadFrom(opened!, parameters);
            })));
        }
        var publicKey = PublicKey.ReadFrom(Convert.FromBase64String(last.CollectivePublicKey!), parameters);
        var encoder = new IntegerEncoder(parameters);
        long[] values = [7, -11, 123_456];
        var ciphertext = CiphertextVector.Encrypt(new Encryptor(parameters, publicKey), encoder, values);
        foreach (var pair in new[] { (0, 1), (0, 2), (1, 2) })
        {
            List<int> points = [pair.Item1 + 1, pair.Item2 + 1];
            var protocol = new DecryptionShareProtocol(parameters, 3, 2, 1, SmudgingTarget.KeySetLifetime);
            var shares = new[] { pair.Item1, pair.Item2 }.Select(x =>
            {
                var share = protocol.AllocateShare(ciphertext.Parts.Count);
                protocol.GenShare(combined[x], points, ciphertext, share);
                return share;
            });
            Assert.Equal(values, protocol.Decrypt(ciphertext, protocol.AggregateSharesNew(shares), encoder)[..values.Length]);
        }
        exchange.ForEach(e => e.Dispose());
    }

    [Fact]
    public async Task Retire_ByAStewardRefusesNewJobsUnderTheKeySet_AndIsAuditedOnce()
    {
        var nodes = await NodesAsync(2);
        var keySet = await CreateAsync(nodes, Preset);
        var steward = (await Accounts.AsAsync(DragonRoles.DataSteward)).Client;
        var researcher = (await Accounts.AsAsync(DragonRoles.Researcher)).Client;

        Assert.Equal(HttpStatusCode.Forbidden, (await researcher.PostAsJsonAsync($"/api/v1/key-sets/{keySet.Id}/retire", new KeySetRetirement(null), DragonJson.Options)).StatusCode);
        var retired = await (await steward.PostAsJsonAsync($"/api/v1/key-sets/{keySet.Id}/retire", new KeySetRetirement("Charite leaves the consortium."), DragonJson.Options))
            .ReadAsAsync<KeySetResponse>(HttpStatusCode.OK);
        await (await steward.PostAsJsonAsync($"/api/v1/key-sets/{keySet.Id}/retire", new KeySetRetirement(null), DragonJson.Options)).ReadAsAsync<KeySetResponse>(HttpStatusCode.OK);

        Assert.Equal("Retired", retired.Status);
        using var scope = fixture.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Dragon.Platform.Persistence.DragonDbContext>();
        var events = await db.AuditEvents.Where(e => e.ObjectId == keySet.Id.ToString() && e.Action == Dragon.Platform.Audit.AuditAction.KeySet_Retired).ToListAsync();
        Assert.Single(events);
        Assert.Equal(HttpStatusCode.NotFound, (await steward.PostAsJsonAsync($"/api/v1/key-sets/{Guid.NewGuid()}/retire", new KeySetRetirement(null), DragonJson.Options)).StatusCode);
    }

    private async Task<int> KeySetCountAsync()
    {
        using var scope = fixture.Factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Dragon.Platform.Persistence.DragonDbContext>().KeySets.CountAsync();
    }

    private async Task<List<TestAccounts.EnrolledNode>> NodesAsync(int count)
    {
        var nodes = new List<TestAccounts.EnrolledNode>();
        for (var i = 0; i < count; i++)
        {
            nodes.Add(await Accounts.EnrollNodeAsync());
        }
        return nodes;
    }

    private async Task<KeySetResponse> CreateAsync(IEnumerable<TestAccounts.EnrolledNode> nodes, string preset)
    {
        var steward = (await Accounts.AsAsync(DragonRoles.DataSteward)).Client;
        return await (await steward.PostAsJsonAsync("/api/v1/key-sets", new KeySetRequest([.. nodes.Select(n => n.Credentials.NodeId)], preset), DragonJson.Options))
            .ReadAsAsync<KeySetResponse>(HttpStatusCode.Created);
    }

    private static string Share(EncryptionParameters parameters, SecretKey secret, string seed)
    {
        var protocol = new PublicKeyGenProtocol(parameters);
        var share = protocol.AllocateShare();
        protocol.GenShare(secret, protocol.SampleCrp(Convert.FromBase64String(seed)), share);
        return Convert.ToBase64String(share.ToArray());
    }

    private static string SumOfTwo(EncryptionParameters parameters, string seed)
    {
        var protocol = new PublicKeyGenProtocol(parameters);
        var shares = Enumerable.Range(0, 2).Select(_ => PublicKeyGenShare.ReadFrom(Convert.FromBase64String(Share(parameters, new KeyGenerator(parameters).SecretKey, seed)), parameters));
        return Convert.ToBase64String(protocol.AggregateSharesNew(shares).ToArray());
    }

    /// <summary>Posts the share signed as its node would sign it (a malformed share is signed as it is: its format is checked first).</summary>
    private static Task<HttpResponseMessage> PostShareAsync(TestAccounts.EnrolledNode node, KeySetResponse keySet, string share)
    {
        var bytes = new byte[share.Length];
        var signature = Convert.TryFromBase64String(share, bytes, out _) ? node.SignKeyShare(keySet, share) : null;
        return node.Client.PostAsJsonAsync($"/api/v1/key-sets/{keySet.Id}/shares", new KeyShareUpload(share, signature), DragonJson.Options);
    }

    private static async Task<KeySetResponse> UploadAsync(TestAccounts.EnrolledNode node, KeySetResponse keySet, string share) =>
        await (await PostShareAsync(node, keySet, share)).ReadAsAsync<KeySetResponse>(HttpStatusCode.OK);
}

public sealed class SqliteKeySetApiTests(SqliteApiFixture fixture) : KeySetApiTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresKeySetApiTests(PostgresApiFixture fixture) : KeySetApiTests(fixture), IClassFixture<PostgresApiFixture>;
