using System.Security.Cryptography;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Nodes;
using Dragon.Homomorphic;
using Dragon.Node.Agent;
using Dragon.Node.Cli;
using Dragon.Node.Data;
using Dragon.Node.Platform;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Jobs;

/// <summary>
/// One real node agent (enrolled with the real <c>enroll</c> command, its two peers pinned with <c>peers trust</c>,
/// running the real <see cref="AgentLoop"/>) in a three-node consortium whose platform is a <see cref="PlatformDouble"/>
/// the test controls, and whose two other members the test plays honestly with their own identity and secret keys.
/// The honest steps are here; a test serves what a malicious platform would instead of one of them.
/// </summary>
public sealed class NodeUnderAttack : IDisposable
{
    public const string Preset = "bfv-8192";
    public const string Purpose = "DUO:0000006";

    private readonly TempFolder _temp;
    private readonly TestConsole _console;
    private readonly NodeSession _session;
    private readonly AgentLoop _agent;

    private NodeUnderAttack(TempFolder temp, PlatformDouble platform, TestConsole console, NodeSession session, Peer[] peers)
    {
        (_temp, Platform, _console, _session, Peers) = (temp, platform, console, session, peers);
        _agent = new AgentLoop(session, console.Console, new Dictionary<Guid, ILocalDataSource>());
    }

    public static EncryptionParameters Parameters { get; } = EncryptionParameters.FromPreset(Preset);

    public PlatformDouble Platform { get; }

    /// <summary>The two other members, played honestly by the test.</summary>
    public Peer[] Peers { get; }

    public Guid NodeId => Platform.NodeId;

    public string StateFolder => _temp.Combine("state");

    /// <summary>Everything the agent logged.</summary>
    public string Log => _console.Error;

    /// <summary>The agent's signed-in session and console, for a second agent on the same state folder.</summary>
    public NodeSession Session => _session;

    public Dragon.Node.Cli.NodeConsole Console => _console.Console;

    public Guid KeySetId { get; } = Guid.NewGuid();

    public byte[] Seed { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>Every member in party order (by node id).</summary>
    public IReadOnlyList<Guid> Members => [.. Peers.Select(p => p.NodeId).Append(NodeId).Order()];

    /// <summary>The honest roster once the ceremony is done.</summary>
    public KeySetResponse ReadyKeySet { get; private set; } = null!;

    public PublicKey CollectivePublicKey => PublicKey.ReadFrom(Convert.FromBase64String(ReadyKeySet.CollectivePublicKey!), Parameters);

    public sealed class Peer
    {
        public Guid NodeId { get; } = Guid.NewGuid();
        public ECDsa Identity { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        public SecretKey Secret { get; } = new KeyGenerator(Parameters).SecretKey;
        public ECDiffieHellman Exchange { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        public string PublicKey => Convert.ToBase64String(Identity.ExportSubjectPublicKeyInfo());
        public string Fingerprint => IdentityKeys.Fingerprint(Identity.ExportSubjectPublicKeyInfo());

        public string Sign(byte[] statement) =>
            Convert.ToBase64String(Identity.SignData(statement, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    /// <summary>A job as far as the honest steps took it: its manifest, every commitment, every contribution by node, and their sum.</summary>
    public sealed record JobInFlight(JobTaskSpec Manifest, IReadOnlyList<SignedCommitment> Commitments, IReadOnlyDictionary<Guid, byte[]> Contributions, byte[] Aggregate);

    /// <summary>Enrolls the node against the double and pins the first <paramref name="pinned"/> peers, as its operator would.</summary>
    public const string ExactAllowed = """{ "allowExactRelease": true }""";

    public static async Task<NodeUnderAttack> StartAsync(int pinned = 2)
    {
        var temp = new TempFolder();
        try
        {
            var platform = new PlatformDouble();
            var console = new TestConsole(() => platform);
            var state = temp.Combine("state");
            await CliAsync(console, "enroll", "--platform", PlatformDouble.Address.ToString(), "--token", "token", "--name", "Node under attack",
                "--organisation", "Radboud UMC", "--country", "NL", "--contact-email", "it@radboud.test", "--state", state);
            var peers = new[] { new Peer(), new Peer() };
            foreach (var peer in peers.Take(pinned))
            {
                await CliAsync(console, "peers", "trust", peer.Fingerprint, "--state", state);
            }
            // The attacks are on exact counts, so their sums can be checked; ExactRelease tests the policy's default.
            await File.WriteAllTextAsync(Path.Combine(state, Dragon.Node.Jobs.NodePolicy.FileName), ExactAllowed);
            var session = await NodeSession.SignInAsync(state, console.Console, CancellationToken.None);
            return new NodeUnderAttack(temp, platform, console, session, peers);
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    public Task RoundAsync() => _agent.RoundAsync(CancellationToken.None);

    /// <summary>Serves <paramref name="tasks"/> for one round of the agent, then nothing.</summary>
    public async Task ServeAsync(params NodeTask[] tasks)
    {
        Platform.Tasks.Clear();
        Platform.Tasks.AddRange(tasks);
        await RoundAsync();
        Platform.Tasks.Clear();
    }

    /// <summary>The key ceremony: the node makes and uploads its signed share, the peers theirs; the roster is served honestly from then on.</summary>
    public async Task CeremonyAsync()
    {
        Platform.KeySets[KeySetId] = new KeySetResponse(KeySetId, Preset, Convert.ToBase64String(Seed), "Pending",
            [.. Members.Select(m => new KeySetMemberResponse(m, false, null))], DateTimeOffset.UtcNow, null, null);
        await ServeAsync(KeyShareTask());
        var own = Assert.Single(Platform.UploadsTo<KeyShareUpload>(SharesPath));
        var protocol = new PublicKeyGenProtocol(Parameters);
        var crp = protocol.SampleCrp(Seed);
        var shares = new Dictionary<Guid, (string Share, string Signature, string PublicKey)> { [NodeId] = (own.Share!, own.Signature!, Platform.IdentityKey!) };
        foreach (var peer in Peers)
        {
            var share = protocol.AllocateShare();
            protocol.GenShare(peer.Secret, crp, share);
            var bytes = share.ToArray();
            shares[peer.NodeId] = (Convert.ToBase64String(bytes), peer.Sign(SignedStatements.KeyShare(KeySetId, Seed, Members.ToList().IndexOf(peer.NodeId), peer.NodeId, SHA256.HashData(bytes))), peer.PublicKey);
        }
        var publicKey = protocol.GenPublicKeyNew(protocol.AggregateSharesNew(Members.Select(m => PublicKeyGenShare.ReadFrom(Convert.FromBase64String(shares[m].Share), Parameters))), crp);
        ReadyKeySet = new KeySetResponse(KeySetId, Preset, Convert.ToBase64String(Seed), "Ready",
            [.. Members.Select(m => new KeySetMemberResponse(m, true, DateTimeOffset.UtcNow))], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            Convert.ToBase64String(publicKey.ToArray()),
            [.. Members.Select((m, i) => new RosterMember(m, i, shares[m].PublicKey, IdentityKeys.Fingerprint(Convert.FromBase64String(shares[m].PublicKey)),
                shares[m].Share, Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(shares[m].Share))), shares[m].Signature))]);
        Platform.KeySets[KeySetId] = ReadyKeySet;
    }

    /// <summary>The peers' combined threshold shares, after <see cref="ThresholdCeremonyAsync"/>.</summary>
    public Dictionary<Guid, ThresholdShare> PeerThresholdShares { get; } = [];

    /// <summary>
    /// A t-of-3 key ceremony: the node makes its share and exchange key, the peers theirs; the node deals when the key
    /// set is sharing, the peers deal honestly to everyone, and the shares dealt to the node are served to it.
    /// </summary>
    /// <param name="tamper">Changes the shares dealt to the node before they are served, to play a dishonest relay.</param>
    public async Task ThresholdCeremonyAsync(int threshold, Func<List<SealedThresholdShare>, List<SealedThresholdShare>>? tamper = null)
    {
        var seed = Convert.ToBase64String(Seed);
        var now = DateTimeOffset.UtcNow;
        Platform.KeySets[KeySetId] = new KeySetResponse(KeySetId, Preset, seed, "Pending",
            [.. Members.Select(m => new KeySetMemberResponse(m, false, null))], now, null, null, Threshold: threshold);
        await ServeAsync(KeyShareTask());
        var own = Assert.Single(Platform.UploadsTo<KeyShareUpload>(SharesPath));
        Assert.True(own.ExchangeKey is not null, $"The node sent no exchange key:\n{Log}");
        var members = Members.ToList();
        var protocol = new PublicKeyGenProtocol(Parameters);
        var crp = protocol.SampleCrp(Seed);
        var shares = new Dictionary<Guid, (string Share, string Signature, string PublicKey, string ExchangeKey)>
        {
            [NodeId] = (own.Share!, own.Signature!, Platform.IdentityKey!, own.ExchangeKey!),
        };
        foreach (var peer in Peers)
        {
            var share = protocol.AllocateShare();
            protocol.GenShare(peer.Secret, crp, share);
            var bytes = share.ToArray();
            var exchangeKey = peer.Exchange.ExportSubjectPublicKeyInfo();
            shares[peer.NodeId] = (Convert.ToBase64String(bytes), peer.Sign(SignedStatements.ThresholdKeyShare(KeySetId, Seed, members.IndexOf(peer.NodeId), peer.NodeId,
                SHA256.HashData(bytes), threshold, members.Count, exchangeKey)), peer.PublicKey, Convert.ToBase64String(exchangeKey));
        }
        var publicKey = Convert.ToBase64String(protocol.GenPublicKeyNew(
            protocol.AggregateSharesNew(members.Select(m => PublicKeyGenShare.ReadFrom(Convert.FromBase64String(shares[m].Share), Parameters))), crp).ToArray());
        KeySetResponse Roster(string status, bool dealt) => new(KeySetId, Preset, seed, status,
            [.. members.Select(m => new KeySetMemberResponse(m, true, now))], now, status == "Ready" ? now : null, publicKey,
            [.. members.Select((m, i) => new RosterMember(m, i, shares[m].PublicKey, IdentityKeys.Fingerprint(Convert.FromBase64String(shares[m].PublicKey)),
                shares[m].Share, Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(shares[m].Share))), shares[m].Signature, shares[m].ExchangeKey, dealt))],
            Threshold: threshold);
        Platform.KeySets[KeySetId] = Roster("Sharing", false);
        await ServeAsync(new NodeTask("thresholdShares", KeySetId, Preset, seed));
        var dealtByNode = Platform.UploadsTo<ThresholdSharesUpload>($"/api/v1/key-sets/{KeySetId}/threshold-shares");
        Assert.True(dealtByNode.Count == 1, $"The node dealt {dealtByNode.Count} times:\n{Log}");
        var received = members.ToDictionary(m => m, _ => new List<SealedThresholdShare>());
        foreach (var share in dealtByNode[0].Shares!)
        {
            received[share.RecipientId].Add(share);
        }
        var thresholdizer = new Thresholdizer(Parameters);
        foreach (var peer in Peers)
        {
            var points = thresholdizer.Deal(peer.Secret, threshold, members.Count);
            for (var x = 0; x < members.Count; x++)
            {
                var sealedShare = ThresholdShareSeal.Seal(peer.Exchange, Convert.FromBase64String(shares[members[x]].ExchangeKey), KeySetId, peer.NodeId, members[x], points[x].ToArray());
                received[members[x]].Add(new SealedThresholdShare(peer.NodeId, members[x], Convert.ToBase64String(sealedShare),
                    peer.Sign(SignedStatements.ThresholdShare(KeySetId, peer.NodeId, members[x], SHA256.HashData(sealedShare)))));
            }
        }
        foreach (var peer in Peers)
        {
            PeerThresholdShares[peer.NodeId] = thresholdizer.Combine(received[peer.NodeId].Select(s => ThresholdShare.ReadFrom(
                ThresholdShareSeal.Open(peer.Exchange, Convert.FromBase64String(shares[s.DealerId].ExchangeKey), KeySetId, s.DealerId, peer.NodeId, Convert.FromBase64String(s.Ciphertext!))!,
                Parameters)));
        }
        Platform.ThresholdShares[KeySetId] = tamper is null ? received[NodeId] : tamper(received[NodeId]);
        ReadyKeySet = Roster("Ready", true);
        Platform.KeySets[KeySetId] = ReadyKeySet;
    }

    /// <summary>What the node's t-of-N share, with the shares of the subset's peers for the same subset, decrypts to.</summary>
    public long ThresholdDecrypt(byte[] aggregate, DecryptionShareUpload share, IReadOnlyList<Guid> subset, int threshold, int contributors)
    {
        var protocol = new DecryptionShareProtocol(Parameters, Members.Count, threshold, contributors, SmudgingTarget.KeySetLifetime);
        var ciphertext = CiphertextVector.ReadFrom(aggregate, Parameters);
        var points = subset.Select(id => Members.ToList().IndexOf(id) + 1).ToList();
        var shares = subset.Where(id => id != NodeId).Select(id =>
        {
            var made = protocol.AllocateShare(ciphertext.Parts.Count);
            protocol.GenShare(PeerThresholdShares[id], points, ciphertext, made);
            return made;
        }).Append(DecryptionShare.ReadFrom(Convert.FromBase64String(share.Share!), Parameters));
        return protocol.Decrypt(ciphertext, protocol.AggregateSharesNew(shares), new IntegerEncoder(Parameters))[0];
    }

    public string SharesPath => $"/api/v1/key-sets/{KeySetId}/shares";

    public NodeTask KeyShareTask() => new("keyShare", KeySetId, Preset, Convert.ToBase64String(Seed));

    /// <summary>A count over three cohorts (none held by this node's data sources, so its own count is 0), every member taking part.</summary>
    public JobTaskSpec Manifest(IReadOnlyList<Guid>? participants = null, Guid? jobId = null)
    {
        var taking = participants ?? Members;
        return new JobTaskSpec(jobId ?? Guid.NewGuid(), KeySetId, [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()], Purpose, [], new AggregationSpec("count"), 1, 0,
            taking.Count, taking, []);
    }

    public NodeTask CommitmentTask(JobTaskSpec manifest) => new("commitment", KeySetId, Preset, Convert.ToBase64String(Seed), manifest.JobId, manifest);

    public NodeTask RevealTask(JobTaskSpec manifest, IReadOnlyList<SignedCommitment> commitments) =>
        new("contribution", KeySetId, Preset, Convert.ToBase64String(Seed), manifest.JobId, manifest, Commitments: commitments);

    public NodeTask DecryptionTask(JobTaskSpec manifest, IReadOnlyList<SignedCommitment> commitments, IEnumerable<byte[]> contributions, byte[] aggregate) =>
        new("decryptionShare", KeySetId, Preset, Convert.ToBase64String(Seed), manifest.JobId, manifest,
            [.. contributions.Select(Convert.ToBase64String)], Convert.ToBase64String(aggregate), Commitments: commitments);

    public NodeTask DecryptionTask(JobInFlight job) =>
        DecryptionTask(job.Manifest, job.Commitments, job.Manifest.Participants.Select(p => job.Contributions[p]), job.Aggregate);

    /// <summary>A peer's encryption of <paramref name="value"/> and its signed commitment to it for the manifest.</summary>
    public (byte[] Ciphertext, SignedCommitment Commitment) Contribute(Peer peer, JobTaskSpec manifest, long value)
    {
        var ciphertext = Encrypt(value);
        return (ciphertext, Commit(peer, manifest, ciphertext));
    }

    public static SignedCommitment Commit(Peer peer, JobTaskSpec manifest, byte[] ciphertext)
    {
        var digest = SHA256.HashData(ciphertext);
        return new SignedCommitment(peer.NodeId, Convert.ToHexStringLower(digest),
            peer.Sign(SignedStatements.Commitment(manifest.JobId, 0, manifest.KeySetId, peer.NodeId, JobManifests.Digest(manifest), digest)));
    }

    public byte[] Encrypt(long value) => CiphertextVector.Encrypt(new Encryptor(Parameters, CollectivePublicKey), new IntegerEncoder(Parameters), [value]).ToArray();

    public static byte[] Sum(IEnumerable<byte[]> ciphertexts) =>
        CiphertextVector.Sum(new Evaluator(Parameters), ciphertexts.Select(c => CiphertextVector.ReadFrom(c, Parameters))).ToArray();

    /// <summary>The node's commitment to the job, if it made one.</summary>
    public SignedCommitment? OwnCommitment(Guid jobId) =>
        Platform.UploadsTo<CommitmentUpload>($"/api/v1/jobs/{jobId}/commitments") is { Count: > 0 } made ? new SignedCommitment(NodeId, made[^1].Digest!, made[^1].Signature!) : null;

    public IReadOnlyList<ContributionUpload> Reveals(Guid jobId) => Platform.UploadsTo<ContributionUpload>($"/api/v1/jobs/{jobId}/contributions");

    public IReadOnlyList<DecryptionShareUpload> DecryptionShares(Guid jobId) => Platform.UploadsTo<DecryptionShareUpload>($"/api/v1/jobs/{jobId}/decryption-shares");

    /// <summary>
    /// Runs a job honestly as far as the decryption task: the node commits, the peers commit to 5 and 7, the node
    /// reveals; returns everything a decryption task is made of.
    /// </summary>
    public async Task<JobInFlight> HonestJobUntilDecryptionAsync(JobTaskSpec? manifest = null)
    {
        var job = manifest ?? Manifest();
        await ServeAsync(CommitmentTask(job));
        var own = OwnCommitment(job.JobId) ?? throw new InvalidOperationException($"The node made no commitment:\n{Log}");
        var (b, bCommitment) = Contribute(Peers[0], job, 5);
        var (c, cCommitment) = Contribute(Peers[1], job, 7);
        List<SignedCommitment> commitments = [.. new[] { own, bCommitment, cCommitment }.OrderBy(x => x.NodeId)];
        await ServeAsync(RevealTask(job, commitments));
        var reveals = Reveals(job.JobId);
        var revealed = Convert.FromBase64String(reveals.Count > 0 ? reveals[^1].Ciphertext! : throw new InvalidOperationException($"The node revealed nothing:\n{Log}"));
        var contributions = new Dictionary<Guid, byte[]> { [NodeId] = revealed, [Peers[0].NodeId] = b, [Peers[1].NodeId] = c };
        return new JobInFlight(job, commitments, contributions, Sum(job.Participants.Select(p => contributions[p])));
    }

    /// <summary>What the node's share, combined with the honest peers' shares of the same aggregate, decrypts to.</summary>
    public long Decrypt(byte[] aggregate, DecryptionShareUpload share)
    {
        var protocol = new DecryptionShareProtocol(Parameters, 3, 3);
        var ciphertext = CiphertextVector.ReadFrom(aggregate, Parameters);
        var shares = Peers.Select(p => protocol.GenShareNew(p.Secret, ciphertext)).Append(DecryptionShare.ReadFrom(Convert.FromBase64String(share.Share!), Parameters));
        return protocol.Decrypt(ciphertext, protocol.AggregateSharesNew(shares), new IntegerEncoder(Parameters))[0];
    }

    /// <summary>The sealed secret key file of the key set, to show it never changes.</summary>
    public byte[] SecretFile() => File.ReadAllBytes(Path.Combine(StateFolder, KeyShareSecrets.FileNameOf(KeySetId)));

    public void Dispose()
    {
        _agent.Dispose();
        _session.Dispose();
        _temp.Dispose();
    }

    private static async Task CliAsync(TestConsole console, params string[] args)
    {
        var code = await NodeCli.RunAsync(args, console.Console);
        Assert.True(code == NodeCli.Succeeded, $"{args[0]}: {console.Error}");
    }
}
