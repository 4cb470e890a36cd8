using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using CsCheck;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Platform.Audit;
using Dragon.Platform.BackgroundWork;
using Dragon.Platform.Jobs;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>
/// Model-based test of the job state machine: generated interleavings of node uploads (in order, out of order and
/// repeated), background steps, cancellations, agreement revocations, passed deadlines and the start-up recovery of
/// unfinished work, each applied to a real host (background work off, so the test decides when steps run) and to a
/// small model of what the platform must do. After every operation the job's status is the model's, an upload is
/// accepted exactly when the model expects it (a repeat of an accepted one may be answered either way but changes
/// nothing), every accepted upload is in the trail once and every refused one not at all, and a job is released at most
/// once, with the sum of the vectors the nodes committed to.
/// </summary>
public sealed class JobStateMachineModelTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Nodes = 3;
    private static readonly int Sequences = int.TryParse(Environment.GetEnvironmentVariable("DRAGON_MODEL_SEQUENCES"), out var count) && count > 0 ? count : 40;

    private readonly DragonApiFactory _factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, DragonApiFactory.WithoutBackgroundWork);
    private JobScenario _s = null!;
    private int _jobsOnAgreement;

    public async Task InitializeAsync() => _s = await JobScenario.CreateAsync(_factory, Nodes);

    public Task DisposeAsync()
    {
        _factory.Dispose();
        return Task.CompletedTask;
    }

    private enum Kind
    {
        Progress, Commit, Reveal, Share, Step, Cancel, Revoke, Deadline, Recover,
    }

    private sealed record Operation(Kind Kind, int Node)
    {
        public override string ToString() => Kind is Kind.Commit or Kind.Reveal or Kind.Share ? $"{Kind}({Node})" : Kind.ToString();
    }

    private static readonly Gen<Operation> Operations = Gen.Frequency(
        (30, Gen.Const(new Operation(Kind.Progress, 0))),
        (2, Gen.Int[0, Nodes - 1].Select(n => new Operation(Kind.Commit, n))),
        (2, Gen.Int[0, Nodes - 1].Select(n => new Operation(Kind.Reveal, n))),
        (2, Gen.Int[0, Nodes - 1].Select(n => new Operation(Kind.Share, n))),
        (2, Gen.Const(new Operation(Kind.Step, 0))),
        (1, Gen.Const(new Operation(Kind.Cancel, 0))),
        (1, Gen.Const(new Operation(Kind.Revoke, 0))),
        (1, Gen.Const(new Operation(Kind.Deadline, 0))),
        (2, Gen.Const(new Operation(Kind.Recover, 0))));

    [Fact]
    public void RandomInterleavings_FollowTheModel_LoseNoUpload_AndReleaseAtMostOnce()
    {
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        Gen.Select(Operations.Array[8, 40], Gen.Int[5, 40].Array[Nodes]).Sample((operations, vectors) =>
        {
            var status = Task.Run(() => RunAsync(operations, vectors)).GetAwaiter().GetResult();
            outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
        }, iter: Sequences, threads: 1, print: sample => $"{string.Join(", ", sample.Item1.Select(o => o.ToString()))} with vectors {string.Join(", ", sample.Item2)}");

        output.WriteLine($"{Sequences} sequences ended: {string.Join(", ", outcomes.Select(o => $"{o.Key} x{o.Value}"))}");
        Assert.True(outcomes.GetValueOrDefault("released") > 0, "no sequence reached a release: the generator does not exercise the whole machine");
    }

    /// <summary>Runs one job through the operations; returns the status it ended in.</summary>
    private async Task<string> RunAsync(Operation[] operations, int[] vectors)
    {
        if (++_jobsOnAgreement > 20)
        {
            _s.AgreementId = await _s.NewAgreementAsync();
            _jobsOnAgreement = 1;
        }
        var job = await _s.SubmitAsync(new AggregationSpec("count"));
        var run = new JobRun(job.Id, vectors);
        foreach (var operation in operations)
        {
            await ApplyAsync(run, operation == new Operation(Kind.Progress, 0) ? Progress(run) : operation);
            var actual = await StatusAsync(job.Id);
            Assert.True(actual == run.Status, $"after {operation} the job is {actual}; the model says {run.Status}.");
            await CheckTrailAsync(run);
        }
        if (run.Status == "released")
        {
            var released = await (await _s.Researcher.Client.GetAsync($"/api/v1/jobs/{job.Id}")).ReadAsAsync<JobResponse>(HttpStatusCode.OK);
            Assert.Equal(vectors.Sum(), released.Result!.Cells.Single().Value);
        }
        if (run.Revoked)
        {
            _s.AgreementId = await _s.NewAgreementAsync();
            _jobsOnAgreement = 0;
        }
        else if (!run.IsFinished)
        {
            // Leave nothing running for the next sequence's deadline check to find.
            (await _s.Researcher.Client.PostAsync($"/api/v1/jobs/{job.Id}/cancel", null)).EnsureSuccessStatusCode();
        }
        return run.Status;
    }

    /// <summary>The next honest move: the step the job waits for, or the first node that has not yet done its part.</summary>
    private static Operation Progress(JobRun run) => run.Status switch
    {
        "committing" when run.Committed.ToList().IndexOf(false) is var i and >= 0 => new Operation(Kind.Commit, i),
        "collecting" when run.Revealed.ToList().IndexOf(false) is var i and >= 0 => new Operation(Kind.Reveal, i),
        "decrypting" when run.Shared.ToList().IndexOf(false) is var i and >= 0 => new Operation(Kind.Share, i),
        _ => new Operation(Kind.Step, 0),
    };

    private async Task ApplyAsync(JobRun run, Operation operation)
    {
        var node = _s.Nodes[operation.Node];
        switch (operation.Kind)
        {
            case Kind.Commit:
                run.Commitments[operation.Node] ??= await MakeCommitmentAsync(run, operation.Node);
                if (run.Commitments[operation.Node] is { } commitment)
                {
                    var expected = run.Status == "committing" && !run.Committed[operation.Node];
                    await UploadAsync(run, operation, node.Client.PostAsJsonAsync($"/api/v1/jobs/{run.JobId}/commitments", commitment, DragonJson.Options), expected, run.Committed);
                    if (expected && run.Committed.All(c => c))
                    {
                        run.Status = "collecting";
                    }
                }
                break;
            case Kind.Reveal:
                if (run.Contributions[operation.Node] is { } contribution)
                {
                    var expected = run.Status == "collecting" && !run.Revealed[operation.Node];
                    await UploadAsync(run, operation, node.Client.PostAsJsonAsync($"/api/v1/jobs/{run.JobId}/contributions", contribution, DragonJson.Options), expected, run.Revealed);
                    if (expected && run.Revealed.All(r => r))
                    {
                        run.Status = "aggregating";
                    }
                }
                break;
            case Kind.Share:
                run.Shares[operation.Node] ??= await MakeShareAsync(run, operation.Node);
                if (run.Shares[operation.Node] is { } share)
                {
                    var expected = run.Status == "decrypting" && !run.Shared[operation.Node];
                    await UploadAsync(run, operation, node.Client.PostAsJsonAsync($"/api/v1/jobs/{run.JobId}/decryption-shares", share, DragonJson.Options), expected, run.Shared);
                }
                break;
            case Kind.Step:
                await RunPendingStepsAsync(run.JobId);
                run.Status = run.Status switch
                {
                    "queued" => "committing",
                    "aggregating" => "decrypting",
                    "decrypting" when run.Shared.All(s => s) => "released",
                    var unchanged => unchanged,
                };
                break;
            case Kind.Cancel:
                var cancel = await _s.Researcher.Client.PostAsync($"/api/v1/jobs/{run.JobId}/cancel", null);
                Assert.True(run.IsFinished ? cancel.StatusCode == HttpStatusCode.Conflict : cancel.IsSuccessStatusCode, $"cancel answered {(int)cancel.StatusCode} to a {run.Status} job.");
                run.Status = run.IsFinished ? run.Status : "cancelled";
                break;
            case Kind.Revoke:
                if (!run.Revoked)
                {
                    var revoke = await _s.Steward.Client.PostAsync($"/api/v1/agreements/{_s.AgreementId}/revoke", null);
                    Assert.True(revoke.IsSuccessStatusCode, $"revoke answered {(int)revoke.StatusCode}: {await revoke.Content.ReadAsStringAsync()}");
                    run.Revoked = true;
                    run.Status = run.IsFinished ? run.Status : "cancelled";
                }
                break;
            case Kind.Deadline:
                await using (var scope = _factory.Services.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<DragonDbContext>().Jobs.Where(j => j.Id == run.JobId)
                        .ExecuteUpdateAsync(set => set.SetProperty(j => j.Deadline, DateTimeOffset.UtcNow.AddMinutes(-1)));
                    await scope.ServiceProvider.GetRequiredService<JobEngine>().EnforceDeadlinesAsync(CancellationToken.None);
                }
                run.Status = run.Status is "committing" or "collecting" or "decrypting" ? "failed" : run.Status;
                break;
            case Kind.Recover:
                await using (var scope = _factory.Services.CreateAsyncScope())
                {
                    await WorkRecovery.RequeueUnfinishedAsync(scope.ServiceProvider.GetRequiredService<DragonDbContext>(),
                        scope.ServiceProvider.GetRequiredService<WorkSweep>(), CancellationToken.None);
                }
                break;
        }
    }

    /// <summary>
    /// Sends an upload and checks the answer against the model: accepted when expected; refused (4xx) when not, unless
    /// it repeats this node's accepted upload (then either answer is allowed, and the check of the trail shows it was not
    /// taken twice).
    /// </summary>
    private static async Task UploadAsync(JobRun run, Operation operation, Task<HttpResponseMessage> sending, bool expected, bool[] done)
    {
        using var response = await sending;
        var status = (int)response.StatusCode;
        if (expected)
        {
            Assert.True(response.IsSuccessStatusCode, $"{operation} was refused with {status} while the job is {run.Status}: {await response.Content.ReadAsStringAsync()}");
            done[operation.Node] = true;
        }
        else if (!done[operation.Node])
        {
            Assert.True(status is >= 400 and < 500, $"{operation} answered {status} while the job is {run.Status}; the model refuses it.");
        }
        else
        {
            Assert.True(status < 500, $"{operation} (a repeat) answered {status}.");
        }
    }

    /// <summary>Every accepted upload is in the trail once, a refused one not at all; a job is released at most once.</summary>
    private async Task CheckTrailAsync(JobRun run)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.ObjectId == run.JobId.ToString()).Select(e => new { e.Action, e.ActorId }).ToListAsync();
        for (var i = 0; i < Nodes; i++)
        {
            var nodeId = _s.Nodes[i].Credentials.NodeId.ToString();
            Assert.Equal(run.Committed[i] ? 1 : 0, events.Count(e => e.Action == AuditAction.Job_CommitmentReceived && e.ActorId == nodeId));
            Assert.Equal(run.Revealed[i] ? 1 : 0, events.Count(e => e.Action == AuditAction.Job_ContributionReceived && e.ActorId == nodeId));
            Assert.Equal(run.Shared[i] ? 1 : 0, events.Count(e => e.Action == AuditAction.Job_DecryptionShareReceived && e.ActorId == nodeId));
        }
        Assert.Equal(run.Status == "released" ? 1 : 0, events.Count(e => e.Action == AuditAction.Job_Released));
        Assert.True(events.Count(e => e.Action is AuditAction.Job_Failed or AuditAction.Job_Cancelled or AuditAction.Job_Released) <= 1, "the job ended twice");
    }

    /// <summary>The node's signed commitment from its commitment task, keeping the ciphertext to reveal; null while it has no such task.</summary>
    private async Task<CommitmentUpload?> MakeCommitmentAsync(JobRun run, int index)
    {
        var node = _s.Nodes[index];
        if (await TaskAsync(node, run.JobId, "commitment") is not { } task)
        {
            return null;
        }
        long[] vector = [run.Vectors[index], .. new long[task.Job!.VectorLength - 1]];
        var ciphertext = _s.Encrypt(task.Job.Aggregation.Kind, vector);
        run.Contributions[index] = new ContributionUpload(Convert.ToBase64String(ciphertext));
        return JobScenario.Commitment(node, task, ciphertext);
    }

    /// <summary>The node's signed decryption share of the aggregate its task carries; null while it has no such task.</summary>
    private async Task<DecryptionShareUpload?> MakeShareAsync(JobRun run, int index)
    {
        var node = _s.Nodes[index];
        if (await TaskAsync(node, run.JobId, "decryptionShare") is not { } task)
        {
            return null;
        }
        var aggregate = CiphertextVector.ReadFrom(Convert.FromBase64String(task.Aggregate!), _s.Parameters);
        var protocol = new DecryptionShareProtocol(_s.Parameters, partyCount: task.Job!.ParticipantCount, ciphertextCount: task.Job.ParticipantCount);
        var share = protocol.GenShareNew(_s.Secrets[node.Credentials.NodeId], aggregate).ToArray();
        return JobScenario.SignedShare(node, task, share);
    }

    private static async Task<NodeTask?> TaskAsync(TestAccounts.EnrolledNode node, Guid jobId, string kind) =>
        (await (await node.Client.GetAsync("/api/v1/nodes/me/tasks")).ReadAsAsync<List<NodeTask>>(HttpStatusCode.OK)).FirstOrDefault(t => t.JobId == jobId && t.Kind == kind);

    /// <summary>What Hangfire would do: run each of the job's pending work items through the runner.</summary>
    private async Task RunPendingStepsAsync(Guid jobId)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        var pending = await db.WorkItems.AsNoTracking().Where(w => w.Payload == jobId.ToString() && w.State == WorkItemState.Pending).OrderBy(w => w.CreatedAt).Select(w => w.Id).ToListAsync();
        foreach (var id in pending)
        {
            await using var step = _factory.Services.CreateAsyncScope();
            await step.ServiceProvider.GetRequiredService<WorkItemRunner>().RunAsync(id, CancellationToken.None);
        }
    }

    private async Task<string> StatusAsync(Guid jobId) =>
        (await (await _s.Researcher.Client.GetAsync($"/api/v1/jobs/{jobId}")).ReadAsAsync<JobResponse>(HttpStatusCode.OK)).Status;

    /// <summary>The model: the job's status and what each node has had accepted, with the uploads each node made.</summary>
    private sealed class JobRun(Guid jobId, int[] vectors)
    {
        public Guid JobId { get; } = jobId;
        public int[] Vectors { get; } = vectors;
        public string Status { get; set; } = "queued";
        public bool Revoked { get; set; }
        public bool[] Committed { get; } = new bool[Nodes];
        public bool[] Revealed { get; } = new bool[Nodes];
        public bool[] Shared { get; } = new bool[Nodes];
        public CommitmentUpload?[] Commitments { get; } = new CommitmentUpload?[Nodes];
        public ContributionUpload?[] Contributions { get; } = new ContributionUpload?[Nodes];
        public DecryptionShareUpload?[] Shares { get; } = new DecryptionShareUpload?[Nodes];

        public bool IsFinished => Status is "released" or "failed" or "cancelled";
    }
}
