using Dragon.Contracts.Jobs;
using Dragon.EndToEnd.Tests.Infrastructure;

namespace Dragon.EndToEnd.Tests;

/// <summary>
/// Two platform hosts on one PostgreSQL database behind a load balancer, Hangfire workers on both, nodes and researcher
/// talking to whichever the balancer picks: one host is killed mid-job and the other completes it.
/// </summary>
public sealed class ScaleOutTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    /// <summary>Short leases and a fast sweep, so the work a killed host held is taken over within seconds.</summary>
    private static readonly Dictionary<string, string> FastTakeover = new()
    {
        ["Jobs__WorkLease"] = "00:00:05",
        ["Jobs__SweepInterval"] = "00:00:01",
        ["Jobs__PendingGrace"] = "00:00:05",
    };

    [Fact]
    public async Task HostKilledMidJob_TheOtherHostCompletesIt_AndRunsTheNextJob()
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var consortium = await Consortium.StartAsync("PostgreSql", patientsPerNode: 60, timeout.Token, FastTakeover, scaledOut: true);
        var late = consortium.Nodes[2];
        late.StopAgent();
        var histogram = new AggregationSpec("histogram", "ct_severity", [0, 10, 26]);
        var submitted = await consortium.SubmitJobAsync(histogram, timeout.Token);
        await consortium.Researcher.WaitForJobAsync(submitted.Id, job => job.Nodes.Count(n => n.State == "committed") == 2, timeout.Token);

        consortium.Platform.Kill();
        late.StartAgent();

        var job = await consortium.Researcher.WaitUntilFinishedAsync(submitted.Id, timeout.Token);
        ReleasedResult.AssertEquals(PlainStatistics.Compute(histogram, null, consortium.Patients), job, consortium.Logs());
        var count = new AggregationSpec("count");
        var next = await consortium.RunJobAsync(count, timeout.Token);
        ReleasedResult.AssertEquals(PlainStatistics.Compute(count, null, consortium.Patients), next, consortium.Logs());
    }
}
