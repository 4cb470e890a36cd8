using Dragon.Contracts.Jobs;
using Dragon.EndToEnd.Tests.Infrastructure;
using Dragon.Platform.Api.Demo;

namespace Dragon.EndToEnd.Tests;

/// <summary>
/// A 3-of-5 key set over five hospitals' agents as processes: the members deal threshold shares to each other through
/// the platform, and a job goes on without hospitals that are switched off mid-job, as long as three remain.
/// </summary>
public sealed class ThresholdEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private static readonly IReadOnlyList<DemoHospital> FiveHospitals =
    [
        .. DemoHospital.Consortium,
        new("Karolinska", "Karolinska University Hospital", "SE", "kar", 41),
        new("Gemelli", "Policlinico Universitario Agostino Gemelli", "IT", "gem", 53),
    ];

    private static readonly Dictionary<string, string> ShortDeadlines = new()
    {
        ["Jobs__NodeDeadline"] = "00:00:20",
        ["Jobs__DeadlineCheck"] = "*/5 * * * * *",
    };

    // These hospitals opt in to exact releases under a t-of-N key set, to compare them with the plain statistic.
    private const string ExactLeaveOutPolicy = """{ "allowExactRelease": true, "allowExactLeaveOut": true }""";

    [Fact]
    public async Task TwoOfFiveAgentsKilled_OneBeforeAndOneMidJob_TheJobIsReleasedWithTheSumOfTheOtherThree()
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var consortium = await Consortium.StartAsync("Sqlite", patientsPerNode: 40, timeout.Token, ShortDeadlines, FiveHospitals, threshold: 3, ExactLeaveOutPolicy);
        var keySet = await consortium.Steward.GetAsync<KeySetResponse>($"/api/v1/key-sets/{consortium.KeySetId}", timeout.Token);
        Assert.Equal(3, keySet.Threshold);
        Assert.All(keySet.Members!, m => Assert.True(m.Dealt && m.ExchangeKey is not null));
        var (offline, killedMidJob) = (consortium.Nodes[3], consortium.Nodes[4]);
        offline.StopAgent();

        var submitted = await consortium.SubmitJobAsync(new AggregationSpec("count"), timeout.Token);
        await consortium.Researcher.WaitForJobAsync(submitted.Id, job => job.Nodes.Single(n => n.NodeId == killedMidJob.NodeId).State == "committed", timeout.Token);
        killedMidJob.StopAgent();
        var job = await consortium.Researcher.WaitUntilFinishedAsync(submitted.Id, timeout.Token);

        Assert.True(job.Status == "released", $"Job {job.Id} ended {job.Status}: {job.Failure}\n{consortium.Logs()}");
        var alive = consortium.Nodes.Take(3).ToList();
        Assert.Equal(alive.Select(n => n.NodeId).Order(), job.Result!.Contributors!);
        Assert.Equal("commitment", job.Nodes.Single(n => n.NodeId == offline.NodeId).Missed);
        Assert.Equal("contribution", job.Nodes.Single(n => n.NodeId == killedMidJob.NodeId).Missed);
        var plain = PlainStatistics.Compute(new AggregationSpec("count"), null, alive.SelectMany(n => n.Patients)).Single().Value;
        Assert.Equal(plain, job.Result.Cells.Single().Value);
    }

    [Fact]
    public async Task OnlyTwoOfFiveAlive_TheJobFails_NamingTheMissingThree()
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var consortium = await Consortium.StartAsync("Sqlite", patientsPerNode: 30, timeout.Token, ShortDeadlines, FiveHospitals, threshold: 3, ExactLeaveOutPolicy);
        var stopped = consortium.Nodes.Skip(2).ToList();
        foreach (var node in stopped)
        {
            node.StopAgent();
        }

        var job = await consortium.RunJobAsync(new AggregationSpec("count"), timeout.Token);

        Assert.True(job.Status == "failed", $"Job {job.Id} ended {job.Status}.\n{consortium.Logs()}");
        Assert.All(stopped, n => Assert.Contains(n.NodeName, job.Failure, StringComparison.Ordinal));
        Assert.All(consortium.Nodes.Take(2), n => Assert.DoesNotContain(n.NodeName, job.Failure, StringComparison.Ordinal));
        Assert.Null(job.Result);
    }
}
