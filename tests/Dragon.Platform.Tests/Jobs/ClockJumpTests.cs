using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Audit;
using Dragon.Platform.Jobs;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Host;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>
/// The platform's clock jumps forward past a step's deadline (a host whose clock was corrected, or one that slept),
/// and two deadline checks run at once, as two hosts' would: the late job moves once (failed, or under a t-of-N key
/// set on without the late node), with one audit event, and the late node's upload after the jump changes nothing.
/// Before the jump the same checks leave the job alone: the deadline is read from the clock, not from elapsed work.
/// </summary>
public sealed class ClockJumpTests
{
    [Fact]
    public async Task ClockJumpedPastTheDeadline_TwoChecksAtOnce_FailTheJobOnce()
    {
        var clock = new JumpingClock();
        using var factory = DragonApiFactory.Create(DatabaseProvider.PostgreSql, services => services.AddSingleton<TimeProvider>(clock));
        var s = await JobScenario.CreateAsync(factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        (await s.CommitAsync(s.Nodes[0], job.Id, [5])).EnsureSuccessStatusCode();
        (await s.CommitAsync(s.Nodes[1], job.Id, [5])).EnsureSuccessStatusCode();
        var lateCommitment = await CommitmentMadeBeforeTheJumpAsync(s, s.Nodes[2], job.Id);

        var early = await TwoChecksAtOnceAsync(factory);
        Assert.Equal([0, 0], early);
        clock.Jump(new JobOptions().NodeDeadline + TimeSpan.FromMinutes(1));
        await TwoChecksAtOnceAsync(factory);

        var failed = await s.WaitForStatusAsync(job.Id, "failed");
        Assert.Contains("missed the deadline (commitment)", failed.Failure, StringComparison.Ordinal);
        Assert.Equal(1, await factory.AuditEventCountAsync(job.Id, AuditAction.Job_Failed));
        var before = await DatabaseFingerprint.TakeAsync(factory.Services);
        var late = await s.Nodes[2].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/commitments", lateCommitment, DragonJson.Options);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(before, await DatabaseFingerprint.TakeAsync(factory.Services));
    }

    [Fact]
    public async Task ClockJumpedPastTheDeadline_UnderAThreeOfFourKeySet_LeavesTheLateNodeOutOnce()
    {
        var clock = new JumpingClock();
        using var factory = DragonApiFactory.Create(DatabaseProvider.PostgreSql, services => services.AddSingleton<TimeProvider>(clock));
        var s = await JobScenario.CreateAsync(factory, nodes: 4, threshold: 3);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        foreach (var node in s.Nodes.Take(3))
        {
            (await s.CommitAsync(node, job.Id, [5])).EnsureSuccessStatusCode();
        }
        var lateCommitment = await CommitmentMadeBeforeTheJumpAsync(s, s.Nodes[3], job.Id);

        clock.Jump(new JobOptions().NodeDeadline + TimeSpan.FromMinutes(1));
        await TwoChecksAtOnceAsync(factory);

        var collecting = await s.WaitForStatusAsync(job.Id, "collecting");
        Assert.Equal("commitment", collecting.Nodes.Single(n => n.NodeId == s.Nodes[3].Credentials.NodeId).Missed);
        Assert.Equal(1, await factory.AuditEventCountAsync(job.Id, AuditAction.Job_NodesLeftOut));
        Assert.Equal(HttpStatusCode.Conflict, (await s.Nodes[3].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/commitments", lateCommitment, DragonJson.Options)).StatusCode);
    }

    /// <summary>The late node's signed commitment, made from its task before the deadline passed and sent after.</summary>
    private static async Task<CommitmentUpload> CommitmentMadeBeforeTheJumpAsync(JobScenario s, TestAccounts.EnrolledNode node, Guid jobId)
    {
        var task = await JobScenario.WaitForTaskAsync(node, jobId, "commitment");
        return JobScenario.Commitment(node, task, s.Encrypt(task.Job!.Aggregation.Kind, new long[task.Job.VectorLength]));
    }

    private static async Task<int[]> TwoChecksAtOnceAsync(DragonApiFactory factory)
    {
        using var start = new Barrier(2);
        return await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var engine = scope.ServiceProvider.GetRequiredService<JobEngine>();
            start.SignalAndWait();
            return await engine.EnforceDeadlinesAsync(CancellationToken.None);
        })));
    }

    /// <summary>The system clock, moved forward on demand.</summary>
    private sealed class JumpingClock : TimeProvider
    {
        private TimeSpan _offset;

        public void Jump(TimeSpan forward) => _offset += forward;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;
    }
}
