using Dragon.Contracts.Jobs;
using Dragon.EndToEnd.Tests.Infrastructure;
using Dragon.Node.Agent;
using Dragon.Node.State;
using Dragon.Platform.Api.Demo;

namespace Dragon.EndToEnd.Tests;

/// <summary>
/// The platform and three node agents as separate processes on loopback, on SQLite and on PostgreSQL: released
/// results equal the plain-text statistic over the consenting subjects of the three hospitals' files.
/// </summary>
public sealed class ConsortiumTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task JobsOfEveryKind_ReleaseThePlainStatistic_AndAWithdrawalLowersTheNextCount(string provider)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var consortium = await Consortium.StartAsync(provider, patientsPerNode: 150, timeout.Token);

        foreach (var query in DemoQuery.OneOfEachKind)
        {
            var job = await consortium.RunJobAsync(query.Aggregation, timeout.Token, query.Filter);
            ReleasedResult.AssertEquals(PlainStatistics.Compute(query.Aggregation, query.Filter, consortium.Patients), job, consortium.Logs());
        }

        var small = SmallFirstBin(consortium.Patients);
        var suppressed = await consortium.RunJobAsync(small, timeout.Token);
        ReleasedResult.AssertEquals(PlainStatistics.Compute(small, null, consortium.Patients), suppressed, consortium.Logs());
        Assert.All(suppressed.Result!.Cells, c => Assert.True(c.Suppressed && c.Value is null));

        var before = (await consortium.RunJobAsync(new AggregationSpec("count"), timeout.Token)).Result!.Cells.Single().Value;
        var hospital = consortium.Nodes[0];
        var subject = hospital.Patients.First(p => p.Consent == "granted").SubjectRef;
        await hospital.WithdrawAsync(subject, timeout.Token);
        await WaitUntilSyncedAsync(hospital, subject, timeout.Token);
        var after = (await consortium.RunJobAsync(new AggregationSpec("count"), timeout.Token)).Result!.Cells.Single().Value;
        Assert.Equal(before - 1, after);
        Assert.Equal(PlainStatistics.Compute(new AggregationSpec("count"), null, consortium.Patients).Single().Value, after);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task NodeStopped_WhileAJobWaitsForIt_FailsTheJobNamingTheNode(string provider)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var consortium = await Consortium.StartAsync(provider, patientsPerNode: 40, timeout.Token, new Dictionary<string, string>
        {
            ["Jobs__NodeDeadline"] = "00:00:25",
            ["Jobs__DeadlineCheck"] = "*/5 * * * * *",
        });
        var stopped = consortium.Nodes[2];
        stopped.StopAgent();

        var job = await consortium.RunJobAsync(new AggregationSpec("count"), timeout.Token);

        Assert.True(job.Status == "failed", $"Job {job.Id} ended {job.Status}.\n{consortium.Logs()}");
        Assert.Contains(stopped.NodeName, job.Failure, StringComparison.Ordinal);
        Assert.All(consortium.Nodes.Take(2), n => Assert.DoesNotContain(n.NodeName, job.Failure, StringComparison.Ordinal));
        Assert.Null(job.Result);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task PlatformRestarted_MidJob_CompletesTheJob(string provider)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var consortium = await Consortium.StartAsync(provider, patientsPerNode: 60, timeout.Token);
        var late = consortium.Nodes[2];
        late.StopAgent();
        var aggregation = new AggregationSpec("histogram", "ct_severity", [0, 10, 26]);
        var submitted = await consortium.SubmitJobAsync(aggregation, timeout.Token);
        await consortium.Researcher.WaitForJobAsync(submitted.Id, job => job.Nodes.Count(n => n.State == "committed") == 2, timeout.Token);

        consortium.Platform.Kill();
        await consortium.Platform.StartAsync();
        late.StartAgent();

        var job = await consortium.Researcher.WaitUntilFinishedAsync(submitted.Id, timeout.Token);
        ReleasedResult.AssertEquals(PlainStatistics.Compute(aggregation, null, consortium.Patients), job, consortium.Logs());
    }

    /// <summary>An age histogram whose first bin holds 1 to 4 consenting patients: it must be suppressed, and its complement with it.</summary>
    private static AggregationSpec SmallFirstBin(IEnumerable<CovidPatient> patients)
    {
        var ages = patients.Where(p => p.Consent == "granted").Select(p => p.Age).ToList();
        var bound = ages.Min() + 1;
        Assert.InRange(ages.Count(a => a < bound), 1, Consortium.MinCellCount - 1);
        return new AggregationSpec("histogram", "age", [0, bound, 200]);
    }

    private static Task WaitUntilSyncedAsync(HospitalNode hospital, string subject, CancellationToken cancellationToken) =>
        WaitUntilAsync(() => Task.FromResult(ConsentStore.Open(StateFolder.Open(hospital.StateFolder)).Find(hospital.CohortId, subject)?.Status == "withdrawn"), cancellationToken);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            await Task.Delay(200, cancellationToken);
        }
    }
}
