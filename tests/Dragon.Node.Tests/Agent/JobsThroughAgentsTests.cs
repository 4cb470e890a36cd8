using System.Net.Http.Json;
using Dragon.Contracts.Access;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Node.Agent;
using Dragon.Node.Cli;
using Dragon.Node.Jobs;
using Dragon.Node.State;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Agent;

/// <summary>
/// Three hospitals running <c>run</c> against the real platform in-process, a steward and a researcher through
/// the API: released results equal the plain-text statistic over the consenting subjects of all three files.
/// </summary>
public sealed class JobsThroughAgentsTests(PlatformHost platform) : IClassFixture<PlatformHost>, IDisposable
{
    private const string CohortJson = """
        {
          "name": "COVID admissions",
          "description": "COVID-19 admissions",
          "population": "Adults admitted with COVID-19, 2020-2022",
          "countries": ["NL"],
          "size": 9,
          "dataUse": ["DUO:0000042"],
          "variables": [
            { "name": "age", "label": "Age at admission", "type": "integer", "unit": "years" }
          ]
        }
        """;

    /// <summary>Subject, age, and consent (status;purposes, or none): pt-7 withdrew, pt-8 consented to clinical care only, pt-9 never consented.</summary>
    private static readonly (string Subject, int Age, string? Status, string? Purposes)[] Subjects =
    [
        ("pt-1", 30, "granted", "DUO:0000042"), ("pt-2", 35, "granted", "DUO:0000042"), ("pt-3", 40, "granted", "DUO:0000006"),
        ("pt-4", 60, "granted", "DUO:0000042"), ("pt-5", 65, "granted", "DUO:0000042"), ("pt-6", 70, "granted", "DUO:0000004"),
        ("pt-7", 45, "withdrawn", "DUO:0000042"), ("pt-8", 55, "granted", "DUO:0000043"), ("pt-9", 80, null, null),
    ];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Jobs_ThroughThreeAgents_ReleaseThePlainStatisticOverConsentingSubjects()
    {
        var (steward, researcher, nodes, agreementId, keySet) = await ConsortiumAsync(3);
        using var stewardClient = steward;
        using var researcherClient = researcher;

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var consoles = nodes.Select(_ => new TestConsole(platform.Handler)).ToList();
        var refusedId = "none";
        var runs = new List<Task<int>>();
        try
        {
            runs.AddRange(nodes.Select((n, i) => NodeCli.RunAsync(["run", "--state", n.State, "--data", $"{n.CohortId}={n.Data}", "--poll-seconds", "0.2"], consoles[i].Console, stop.Token)));
            await PlatformJobs.WaitForReadyAsync(steward, keySet.Id, stop.Token);
            var consenting = Subjects.Where(s => s.Subject is not ("pt-7" or "pt-8" or "pt-9")).ToList();

            var count = await RunJobAsync(researcher, agreementId, keySet.Id, nodes.Select(n => n.CohortId), new AggregationSpec("count"), stop.Token);
            Assert.Equal(3 * consenting.Count, count.Cells.Single().Value);

            var histogram = await RunJobAsync(researcher, agreementId, keySet.Id, nodes.Select(n => n.CohortId), new AggregationSpec("histogram", "age", [0, 50, 100]), stop.Token);
            Assert.Equal([3.0 * consenting.Count(s => s.Age < 50), 3.0 * consenting.Count(s => s.Age >= 50)], histogram.Cells.Select(c => c.Value!.Value));

            await platform.CliAsync("consent", "--state", nodes[0].State, "--file", _temp.File("withdrawal.csv", $"subject_ref,cohort_id,purposes,status\npt-1,{nodes[0].CohortId},DUO:0000042,withdrawn\n"));
            while (ConsentStore.Open(StateFolder.Open(nodes[0].State)).Find(nodes[0].CohortId, "pt-1")!.Status != "withdrawn")
            {
                await Task.Delay(100, stop.Token);
            }
            var after = await RunJobAsync(researcher, agreementId, keySet.Id, nodes.Select(n => n.CohortId), new AggregationSpec("count"), stop.Token);
            Assert.Equal(3 * consenting.Count - 1, after.Cells.Single().Value);

            // A hospital whose own policy refuses the job fails it at once, naming itself and its rule (no waiting for the deadline).
            await File.WriteAllTextAsync(Path.Combine(nodes[2].State, NodePolicy.FileName), """{ "allowExactRelease": true, "minSites": 4 }""", stop.Token);
            var refused = await PlatformJobs.FinishAsync(researcher, new JobRequest(agreementId, keySet.Id, [.. nodes.Select(n => n.CohortId)], null, new AggregationSpec("count")), stop.Token);
            Assert.Equal("failed", refused.Status);
            Assert.Contains("refused the job", refused.Failure, StringComparison.Ordinal);
            Assert.Contains("has 3 participating sites; this node's policy requires at least 4", refused.Failure, StringComparison.Ordinal);
            Assert.Contains("refusal reported", consoles[2].Error, StringComparison.Ordinal);
            refusedId = refused.Id.ToString();
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("The agents did not finish: " + string.Join(" | ", consoles.Select(c => c.Error)));
        }
        await stop.CancelAsync();
        Assert.All(await Task.WhenAll(runs), code => Assert.Equal(NodeCli.Succeeded, code));
        // Nodes still uploading when the refused job failed are told it ended; nothing else failed.
        Assert.All(consoles, c => Assert.DoesNotContain(c.Error.Split('\n'), line => line.Contains("failed", StringComparison.Ordinal) && !line.Contains(refusedId, StringComparison.Ordinal)));
        Assert.All(consoles, c => Assert.DoesNotContain("pt-", c.Error, StringComparison.Ordinal));
    }

    /// <summary>
    /// Agents that only the push channel wakes (ten minutes between polls): a round it starts reads the tasks and syncs
    /// consents just before a commitment, so a withdrawal registered after the agent's last sync still counts in the
    /// next job, while the rounds of the later steps make no consent call and no heartbeat unless one is due (every 30 s).
    /// </summary>
    [Fact]
    public async Task PushedRounds_SyncConsentsBeforeACommitment_AndSkipWhatTheirTasksDoNotNeed()
    {
        var (steward, researcher, nodes, agreementId, keySet) = await ConsortiumAsync(3);
        using var stewardClient = steward;
        using var researcherClient = researcher;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var calls = nodes.Select(_ => new CallCounter()).ToList();
        var consoles = calls.Select(counter => new TestConsole(() => counter.Over(platform.Handler()))).ToList();
        var runs = nodes.Select((n, i) => NodeCli.RunAsync(["run", "--state", n.State, "--data", $"{n.CohortId}={n.Data}", "--poll-seconds", "600"], consoles[i].Console, stop.Token)).ToList();
        var consenting = Subjects.Count(s => s.Subject is not ("pt-7" or "pt-8" or "pt-9"));
        try
        {
            await PlatformJobs.WaitForReadyAsync(steward, keySet.Id, stop.Token);
            var count = await RunJobAsync(researcher, agreementId, keySet.Id, nodes.Select(n => n.CohortId), new AggregationSpec("count"), stop.Token);
            Assert.Equal(3 * consenting, count.Cells.Single().Value);

            await platform.CliAsync("consent", "--state", nodes[0].State, "--file", _temp.File("push-withdrawal.csv", $"subject_ref,cohort_id,purposes,status\npt-1,{nodes[0].CohortId},DUO:0000042,withdrawn\n"));
            Assert.Equal("granted", ConsentStore.Open(StateFolder.Open(nodes[0].State)).Find(nodes[0].CohortId, "pt-1")!.Status);
            var before = calls.Select(c => c.Snapshot()).ToList();
            var after = await RunJobAsync(researcher, agreementId, keySet.Id, nodes.Select(n => n.CohortId), new AggregationSpec("count"), stop.Token);

            Assert.Equal(3 * consenting - 1, after.Cells.Single().Value);
            foreach (var (counter, i) in calls.Select((c, i) => (c, i)))
            {
                var made = counter.Since(before[i]);
                // One round per step (three) made one each before; now one at most, when the 30 s came due during the job.
                Assert.InRange(made.GetValueOrDefault("POST /api/v1/nodes/me/heartbeat"), 0, 1);
                // Once before the commitment (a second call when the first brought changes); never before the reveal or the share.
                Assert.InRange(made.GetValueOrDefault("GET /api/v1/nodes/me/consent-changes"), 1, 2);
                Assert.True(made.GetValueOrDefault("GET /api/v1/nodes/me/tasks") >= 3, $"node {i} read its tasks {made.GetValueOrDefault("GET /api/v1/nodes/me/tasks")} times");
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("The agents did not finish: " + string.Join(" | ", consoles.Select(c => c.Error)));
        }
        await stop.CancelAsync();
        Assert.All(await Task.WhenAll(runs), code => Assert.Equal(NodeCli.Succeeded, code));
    }

    /// <summary>Hospitals that joined with <see cref="Subjects"/> (data and consents), a steward of their cohorts, an approved researcher and a key set being made.</summary>
    private async Task<(HttpClient Steward, HttpClient Researcher, List<(Guid NodeId, string State, Guid CohortId, string Data)> Nodes, Guid AgreementId, KeySetResponse KeySet)> ConsortiumAsync(int count)
    {
        using var admin = await platform.AdminAsync();
        var (stewardId, steward) = await platform.NewUserAsync("DataSteward");
        var (_, researcher) = await platform.NewUserAsync("Researcher");
        var nodes = new List<(Guid NodeId, string State, Guid CohortId, string Data)>();
        for (var i = 0; i < count; i++)
        {
            var state = _temp.Combine($"state-{Guid.NewGuid():N}");
            var (nodeId, cohortId) = await platform.JoinAsync(_temp, state, CohortJson, cohortId => string.Concat(
                Subjects.Where(s => s.Status is not null).Select(s => $"{s.Subject},{cohortId},{s.Purposes},{s.Status}\n")));
            (await admin.PostAsJsonAsync($"/api/v1/cohorts/{cohortId}/stewards", new AddStewardRequest(stewardId), DragonJson.Options)).EnsureSuccessStatusCode();
            var data = _temp.File($"data-{Guid.NewGuid():N}.csv", "subject_ref,age\n" + string.Concat(Subjects.Select(s => $"{s.Subject},{s.Age}\n")));
            nodes.Add((nodeId, state, cohortId, data));
        }
        await platform.PinPeersAsync(nodes.Select(n => n.State));
        var (agreementId, keySet) = await PlatformJobs.AgreementAndKeySetAsync(researcher, steward, new AccessRequestBody(
            "Admissions by age", "DUO:0000006", [.. nodes.Select(n => n.CohortId)], ["age"], ["count", "histogram"],
            "Pooled statistics on COVID-19 admissions across hospitals.", 30), nodes.Select(n => n.NodeId));
        return (steward, researcher, nodes, agreementId, keySet);
    }

    private static Task<JobResult> RunJobAsync(HttpClient researcher, Guid agreementId, Guid keySetId, IEnumerable<Guid> cohorts, AggregationSpec aggregation, CancellationToken cancellationToken) =>
        PlatformJobs.RunAsync(researcher, new JobRequest(agreementId, keySetId, [.. cohorts], null, aggregation), cancellationToken);

}
