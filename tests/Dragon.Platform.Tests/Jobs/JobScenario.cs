using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dragon.Contracts.Access;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Homomorphic;
using Dragon.Platform.Identity;
using Dragon.Platform.Tests.Catalogue;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>
/// A consortium through the real API: three nodes with a cohort each, a steward of all three, an approved
/// agreement and a ready key set (t of N when a threshold is given: the members deal their threshold shares through the
/// API and each keeps the combination of what it was dealt). The test plays the nodes with the real engine and their identity keys, as the node
/// agent does (without the agent's own checks, which the node's tests cover).
/// </summary>
public sealed class JobScenario
{
    public const string Preset = "bfv-8192";

    private JobScenario(DragonApiFactory factory) => Factory = factory;

    public DragonApiFactory Factory { get; }
    public List<TestAccounts.EnrolledNode> Nodes { get; } = [];
    public List<CohortResponse> Cohorts { get; } = [];
    public Dictionary<Guid, SecretKey> Secrets { get; } = [];
    public TestAccounts.SignedIn Researcher { get; private set; } = null!;
    public TestAccounts.SignedIn Steward { get; private set; } = null!;
    public Guid AgreementId { get; set; }
    public Guid KeySetId { get; private set; }
    public EncryptionParameters Parameters { get; } = EncryptionParameters.FromPreset(Preset);
    public PublicKey PublicKey { get; private set; } = null!;
    public int Threshold { get; private set; }
    public Dictionary<Guid, ThresholdShare> ThresholdShares { get; } = [];

    /// <param name="bounded">Whether the cohorts declare bounds for age (0 to 120) and crp (0 to 500), as differentially private sums and models need.</param>
    public static async Task<JobScenario> CreateAsync(DragonApiFactory factory, int nodes = 3, int? threshold = null, bool bounded = false)
    {
        var s = new JobScenario(factory);
        var accounts = factory.Accounts;
        var admin = await accounts.AdminAsync();
        s.Steward = await accounts.NewUserAsync(DragonRoles.DataSteward);
        s.Researcher = await accounts.NewUserAsync(DragonRoles.Researcher);
        for (var i = 0; i < nodes; i++)
        {
            var node = await accounts.EnrollNodeAsync();
            var request = CohortSamples.Valid(CohortSamples.UniqueTag(), dataUse: "DUO:0000042");
            if (bounded)
            {
                request = request with
                {
                    Variables = [.. request.Variables!.Select(v => v.Name switch
                    {
                        "age" => v with { Min = 0, Max = 120 },
                        "crp" => v with { Min = 0, Max = 500 },
                        _ => v,
                    })],
                };
            }
            var cohort = await (await node.Client.PostAsJsonAsync("/api/v1/cohorts", request, DragonJson.Options))
                .ReadAsAsync<CohortResponse>(HttpStatusCode.Created);
            (await admin.PostAsJsonAsync($"/api/v1/cohorts/{cohort.Id}/stewards", new AddStewardRequest(s.Steward.User.Id), DragonJson.Options)).EnsureSuccessStatusCode();
            s.Nodes.Add(node);
            s.Cohorts.Add(cohort);
        }
        s.AgreementId = await s.NewAgreementAsync();

        var keySet = await (await s.Steward.Client.PostAsJsonAsync("/api/v1/key-sets", new KeySetRequest([.. s.Nodes.Select(n => n.Credentials.NodeId)], Preset, threshold), DragonJson.Options))
            .ReadAsAsync<KeySetResponse>(HttpStatusCode.Created);
        s.Threshold = keySet.Threshold;
        if (threshold is { } t && t < nodes)
        {
            await s.ThresholdCeremonyAsync(keySet);
            return s;
        }
        var protocol = new PublicKeyGenProtocol(s.Parameters);
        KeySetResponse ready = keySet;
        foreach (var node in s.Nodes)
        {
            var secret = new KeyGenerator(s.Parameters).SecretKey;
            s.Secrets[node.Credentials.NodeId] = secret;
            var share = protocol.AllocateShare();
            protocol.GenShare(secret, protocol.SampleCrp(Convert.FromBase64String(keySet.CommonSeed)), share);
            var bytes = Convert.ToBase64String(share.ToArray());
            ready = await (await node.Client.PostAsJsonAsync($"/api/v1/key-sets/{keySet.Id}/shares", new KeyShareUpload(bytes, node.SignKeyShare(keySet, bytes)), DragonJson.Options))
                .ReadAsAsync<KeySetResponse>(HttpStatusCode.OK);
        }
        s.KeySetId = keySet.Id;
        s.PublicKey = PublicKey.ReadFrom(Convert.FromBase64String(ready.CollectivePublicKey!), s.Parameters);
        return s;
    }

    /// <summary>The ceremony of a t-of-N key set, each node playing its part honestly through the API.</summary>
    private async Task ThresholdCeremonyAsync(KeySetResponse keySet)
    {
        var ordered = Nodes.OrderBy(n => n.Credentials.NodeId).ToList();
        var exchange = ordered.ToDictionary(n => n.Credentials.NodeId, _ => ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256));
        var protocol = new PublicKeyGenProtocol(Parameters);
        var seed = Convert.FromBase64String(keySet.CommonSeed);
        KeySetResponse last = keySet;
        for (var i = 0; i < ordered.Count; i++)
        {
            var node = ordered[i];
            var secret = new KeyGenerator(Parameters).SecretKey;
            Secrets[node.Credentials.NodeId] = secret;
            var share = protocol.AllocateShare();
            protocol.GenShare(secret, protocol.SampleCrp(seed), share);
            var bytes = share.ToArray();
            var exchangeKey = exchange[node.Credentials.NodeId].ExportSubjectPublicKeyInfo();
            var signature = node.Sign(SignedStatements.ThresholdKeyShare(keySet.Id, seed, i, node.Credentials.NodeId, SHA256.HashData(bytes), Threshold, ordered.Count, exchangeKey));
            last = await (await node.Client.PostAsJsonAsync($"/api/v1/key-sets/{keySet.Id}/shares",
                    new KeyShareUpload(Convert.ToBase64String(bytes), Convert.ToBase64String(signature), Convert.ToBase64String(exchangeKey)), DragonJson.Options))
                .ReadAsAsync<KeySetResponse>(HttpStatusCode.OK);
        }
        Assert.Equal("Sharing", last.Status);
        var thresholdizer = new Thresholdizer(Parameters);
        foreach (var dealer in ordered)
        {
            var deal = Deal(keySet.Id, dealer, exchange[dealer.Credentials.NodeId], thresholdizer.Deal(Secrets[dealer.Credentials.NodeId], Threshold, ordered.Count), ordered, last.Members!);
            last = await (await dealer.Client.PostAsJsonAsync($"/api/v1/key-sets/{keySet.Id}/threshold-shares", deal, DragonJson.Options)).ReadAsAsync<KeySetResponse>(HttpStatusCode.OK);
        }
        Assert.Equal("Ready", last.Status);
        foreach (var node in ordered)
        {
            var received = await (await node.Client.GetAsync($"/api/v1/key-sets/{keySet.Id}/threshold-shares")).ReadAsAsync<List<SealedThresholdShare>>(HttpStatusCode.OK);
            ThresholdShares[node.Credentials.NodeId] = thresholdizer.Combine(received.Select(r => ThresholdShare.ReadFrom(ThresholdShareSeal.Open(exchange[node.Credentials.NodeId],
                exchange[r.DealerId].ExportSubjectPublicKeyInfo(), keySet.Id, r.DealerId, node.Credentials.NodeId, Convert.FromBase64String(r.Ciphertext!))!, Parameters)));
        }
        foreach (var key in exchange.Values)
        {
            key.Dispose();
        }
        KeySetId = keySet.Id;
        PublicKey = PublicKey.ReadFrom(Convert.FromBase64String(last.CollectivePublicKey!), Parameters);
    }

    /// <summary>A dealer's threshold shares of its secret, one sealed to each member's exchange key in the roster and signed.</summary>
    public static ThresholdSharesUpload Deal(Guid keySetId, TestAccounts.EnrolledNode dealer, ECDiffieHellman exchange, ThresholdShare[] points,
        List<TestAccounts.EnrolledNode> members, IReadOnlyList<RosterMember> roster)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(members);
        return new([.. members.Select((recipient, j) =>
        {
            var sealedShare = ThresholdShareSeal.Seal(exchange, Convert.FromBase64String(roster.Single(m => m.NodeId == recipient.Credentials.NodeId).ExchangeKey!),
                keySetId, dealer.Credentials.NodeId, recipient.Credentials.NodeId, points[j].ToArray());
            return new SealedThresholdShare(dealer.Credentials.NodeId, recipient.Credentials.NodeId, Convert.ToBase64String(sealedShare),
                Convert.ToBase64String(dealer.Sign(SignedStatements.ThresholdShare(keySetId, dealer.Credentials.NodeId, recipient.Credentials.NodeId, SHA256.HashData(sealedShare)))));
        })]);
    }

    /// <summary>
    /// Another agreement of the researcher over the scenario's cohorts: requested, and approved by the steward, for exact
    /// releases unless <paramref name="releaseMode"/> says otherwise (the tests check exact sums of the vectors they send).
    /// </summary>
    public async Task<Guid> NewAgreementAsync(string? releaseMode = ReleaseModes.Exact)
    {
        var request = await (await Researcher.Client.PostAsJsonAsync("/api/v1/access-requests", new AccessRequestBody(
                "Admissions by age and CT severity", "DUO:0000006", [.. Cohorts.Select(c => c.Id)], ["age", "crp", "sex", "icu", "ct_severity"],
                ["count", "sum", "mean", "variance", "histogram", "crosstab", "glm"], "Pooled statistics on COVID-19 admissions across hospitals.", 30), DragonJson.Options))
            .ReadAsAsync<AccessRequestResponse>(HttpStatusCode.Created);
        var approved = await (await Steward.Client.PostAsJsonAsync($"/api/v1/access-requests/{request.Id}/decisions", new DecisionRequest("approve", "ok", releaseMode), DragonJson.Options))
            .ReadAsAsync<AccessRequestResponse>(HttpStatusCode.OK);
        return approved.AgreementId!.Value;
    }

    /// <summary>Each node's contribution to each job, as uploaded.</summary>
    public Dictionary<(Guid NodeId, Guid JobId), ContributionUpload> Contributions { get; } = [];

    public async Task<JobResponse> SubmitAsync(AggregationSpec aggregation, IReadOnlyList<FilterCondition>? filter = null) =>
        await (await Researcher.Client.PostAsJsonAsync("/api/v1/jobs", new JobRequest(AgreementId, KeySetId, [.. Cohorts.Select(c => c.Id)], filter, aggregation), DragonJson.Options))
            .ReadAsAsync<JobResponse>(HttpStatusCode.Accepted);

    /// <summary>What a node does for a commitment task: encrypt its local vector under the collective key, keep it, and upload its signed digest.</summary>
    public async Task<HttpResponseMessage> CommitAsync(TestAccounts.EnrolledNode node, Guid jobId, long[] vector)
    {
        var task = await WaitForTaskAsync(node, jobId, "commitment");
        if (task.Job!.Privacy?.Checks is not null && vector.Length < task.Job.VectorLength)
        {
            // An exact job's checks follow its released numbers; a test that does not name them has none to report.
            vector = [.. vector, .. new long[task.Job.VectorLength - vector.Length]];
        }
        Assert.Equal(vector.Length, task.Job.VectorLength);
        var ciphertext = Encrypt(task.Job.Aggregation.Kind, vector);
        Contributions[(node.Credentials.NodeId, jobId)] = new ContributionUpload(Convert.ToBase64String(ciphertext));
        return await node.Client.PostAsJsonAsync($"/api/v1/jobs/{jobId}/commitments", Commitment(node, task, ciphertext), DragonJson.Options);
    }

    /// <summary>A vector of a job of this kind encrypted as nodes do: each number spread over its limbs (<see cref="SlotLimbs"/>) for the key set's members.</summary>
    public byte[] Encrypt(string? kind, long[] vector) =>
        CiphertextVector.Encrypt(new Encryptor(Parameters, PublicKey), new IntegerEncoder(Parameters),
            Dragon.Platform.Jobs.JobManifest.Limbs(Parameters, Nodes.Count, kind).Encode(vector)).ToArray();

    /// <summary>The node's signed commitment to <paramref name="ciphertext"/> for the task's manifest.</summary>
    public static CommitmentUpload Commitment(TestAccounts.EnrolledNode node, NodeTask task, byte[] ciphertext)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(task);
        var digest = SHA256.HashData(ciphertext);
        var statement = SignedStatements.Commitment(task.JobId!.Value, task.Round, task.KeySetId, node.Credentials.NodeId, JobManifests.Digest(task.Job!), digest);
        return new CommitmentUpload(Convert.ToHexStringLower(digest), Convert.ToBase64String(node.Sign(statement)));
    }

    /// <summary>What a node does for a contribution task: reveal the ciphertext it committed to.</summary>
    public async Task<HttpResponseMessage> RevealAsync(TestAccounts.EnrolledNode node, Guid jobId)
    {
        await WaitForTaskAsync(node, jobId, "contribution");
        return await node.Client.PostAsJsonAsync($"/api/v1/jobs/{jobId}/contributions", Contributions[(node.Credentials.NodeId, jobId)], DragonJson.Options);
    }

    /// <summary>Every node commits to its vector (the same one for all when one is given); returns once the reveal has begun.</summary>
    public async Task CommitAllAsync(Guid jobId, params long[][] vectors)
    {
        for (var i = 0; i < Nodes.Count; i++)
        {
            (await CommitAsync(Nodes[i], jobId, vectors[vectors.Length == 1 ? 0 : i])).EnsureSuccessStatusCode();
        }
        await WaitForTaskAsync(Nodes[0], jobId, "contribution");
    }

    /// <summary>Every node commits to its vector, then every node reveals it.</summary>
    public async Task ContributeAllAsync(Guid jobId, params long[][] vectors)
    {
        await CommitAllAsync(jobId, vectors);
        foreach (var node in Nodes)
        {
            (await RevealAsync(node, jobId)).EnsureSuccessStatusCode();
        }
    }

    /// <summary>The contributions a decrypting job serves its node as binary frames.</summary>
    public static async Task<IReadOnlyList<byte[]>> ContributionsAsync(TestAccounts.EnrolledNode node, Guid jobId)
    {
        using var response = await node.Client.GetAsync($"/api/v1/jobs/{jobId}/contributions");
        Assert.True(response.IsSuccessStatusCode, $"Reading the contributions answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(CiphertextFrames.MediaType, response.Content.Headers.ContentType?.MediaType);
        return await CiphertextFrames.ReadAsync(await response.Content.ReadAsStreamAsync(), maxCount: 100, maxBytes: 64L * 1024 * 1024, default);
    }

    /// <summary>What a node does for a decryption task: fetch the contributions, check the aggregate is their sum, then upload a signed share.</summary>
    public async Task<HttpResponseMessage> ShareAsync(TestAccounts.EnrolledNode node, Guid jobId)
    {
        var task = await WaitForTaskAsync(node, jobId, "decryptionShare");
        var contributions = await ContributionsAsync(node, jobId);
        var sum = CiphertextVector.Sum(new Evaluator(Parameters), contributions.Select(c => CiphertextVector.ReadFrom(c, Parameters)));
        var aggregate = Convert.FromBase64String(task.Aggregate!);
        Assert.Equal(SHA256.HashData(sum.ToArray()), SHA256.HashData(aggregate));
        byte[] share;
        if (task.DecryptionSubset is { } subset)
        {
            var members = Nodes.Select(n => n.Credentials.NodeId).Order().ToList();
            var threshold = new DecryptionShareProtocol(Parameters, members.Count, Threshold, contributions.Count, SmudgingTarget.KeySetLifetime);
            var ciphertext = CiphertextVector.ReadFrom(aggregate, Parameters);
            var made = threshold.AllocateShare(ciphertext.Parts.Count);
            threshold.GenShare(ThresholdShares[node.Credentials.NodeId], [.. subset.Select(id => members.IndexOf(id) + 1)], ciphertext, made);
            share = made.ToArray();
        }
        else
        {
            var protocol = new DecryptionShareProtocol(Parameters, partyCount: task.Job!.ParticipantCount, ciphertextCount: task.Job.ParticipantCount);
            share = protocol.GenShareNew(Secrets[node.Credentials.NodeId], CiphertextVector.ReadFrom(aggregate, Parameters)).ToArray();
        }
        return await node.Client.PostAsJsonAsync($"/api/v1/jobs/{jobId}/decryption-shares", SignedShare(node, task, share), DragonJson.Options);
    }

    /// <summary>The node's decryption share with its signature over it for the task's aggregate.</summary>
    public static DecryptionShareUpload SignedShare(TestAccounts.EnrolledNode node, NodeTask task, byte[] share)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(task);
        var statement = SignedStatements.DecryptionShare(task.JobId!.Value, task.Round, task.KeySetId, node.Credentials.NodeId,
            SHA256.HashData(Convert.FromBase64String(task.Aggregate!)), SHA256.HashData(share), task.DecryptionSubset);
        return new DecryptionShareUpload(Convert.ToBase64String(share), Convert.ToBase64String(node.Sign(statement)));
    }

    public async Task<JobResponse> RunAsync(AggregationSpec aggregation, params long[][] vectors) => await RunAsync(await SubmitAsync(aggregation), vectors);

    /// <summary>Every node contributes its vector to the submitted job and gives its share; returns the released job.</summary>
    public async Task<JobResponse> RunAsync(JobResponse job, params long[][] vectors)
    {
        ArgumentNullException.ThrowIfNull(job);
        await ContributeAllAsync(job.Id, vectors);
        foreach (var node in Nodes)
        {
            (await ShareAsync(node, job.Id)).EnsureSuccessStatusCode();
        }
        return await WaitForStatusAsync(job.Id, "released");
    }

    public static Task<NodeTask> WaitForTaskAsync(TestAccounts.EnrolledNode node, Guid jobId, string kind) => WaitForTaskAsync([node], jobId, kind);

    /// <summary>The first task of the kind for the job that any of <paramref name="nodes"/> is given.</summary>
    public static async Task<NodeTask> WaitForTaskAsync(IEnumerable<TestAccounts.EnrolledNode> nodes, Guid jobId, string kind)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            foreach (var node in nodes)
            {
                var tasks = await (await node.Client.GetAsync("/api/v1/nodes/me/tasks")).ReadAsAsync<List<NodeTask>>(HttpStatusCode.OK);
                if (tasks.FirstOrDefault(t => t.JobId == jobId && t.Kind == kind) is { } task)
                {
                    return task;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"No {kind} task for job {jobId} appeared.");
            await Task.Delay(100);
        }
    }

    public Task<JobResponse> WaitForStatusAsync(Guid jobId, string status) => WaitForAsync(jobId, job => job.Status == status, status);

    /// <summary>The job as the researcher sees it once <paramref name="reached"/> holds, within 60 seconds.</summary>
    public async Task<JobResponse> WaitForAsync(Guid jobId, Func<JobResponse, bool> reached, string what)
    {
        ArgumentNullException.ThrowIfNull(reached);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var job = await (await Researcher.Client.GetAsync($"/api/v1/jobs/{jobId}")).ReadAsAsync<JobResponse>(HttpStatusCode.OK);
            if (reached(job))
            {
                return job;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Job {jobId} is {job.Status} in round {job.Iteration}, not {what} ({job.Failure}).");
            await Task.Delay(100);
        }
    }
}
