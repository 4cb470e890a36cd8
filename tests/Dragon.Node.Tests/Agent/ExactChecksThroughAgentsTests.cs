using System.Net.Http.Json;
using System.Text.Json;
using Dragon.Contracts.Access;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Node.Cli;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Agent;

/// <summary>
/// A researcher with one exact agreement plays the differencing attacks against three hospitals running <c>run</c>
/// against the real platform: the nodes count, under encryption, how each job's selection differs from the researcher's
/// earlier ones, and the platform refuses the release that would single someone out.
/// </summary>
public sealed class ExactChecksThroughAgentsTests(PlatformHost platform) : IClassFixture<PlatformHost>, IDisposable
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
            { "name": "age", "label": "Age at admission", "type": "integer", "unit": "years" },
            { "name": "los", "label": "Length of stay", "type": "integer", "unit": "days" }
          ]
        }
        """;

    /// <summary>
    /// Every subject consents. Only the first hospital has a patient aged 57; at every hospital the patients aged 57 or
    /// more have no length of stay, except that one.
    /// </summary>
    private static readonly (int Age, int? Los)[][] Hospitals =
    [
        [(30, 3), (42, 4), (45, 6), (50, 2), (57, 9), (60, null), (63, null), (70, null), (75, null)],
        [(31, 5), (41, 3), (44, 7), (52, 4), (58, null), (61, null), (66, null), (72, null), (79, null)],
        [(33, 2), (43, 5), (46, 3), (54, 6), (59, null), (62, null), (67, null), (73, null), (77, null)],
    ];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task DifferencingPairs_AreRefused_WhileJobsThatDifferByEnoughRecordsAreReleased()
    {
        using var admin = await platform.AdminAsync();
        var (stewardId, steward) = await platform.NewUserAsync("DataSteward");
        var (_, researcher) = await platform.NewUserAsync("Researcher");
        using var stewardClient = steward;
        using var researcherClient = researcher;
        var nodes = new List<(Guid NodeId, string State, Guid CohortId, string Data)>();
        for (var i = 0; i < Hospitals.Length; i++)
        {
            var state = _temp.Combine($"state-{i}");
            var subjects = Hospitals[i].Select((s, k) => (Subject: $"pt-{i}-{k}", s.Age, s.Los)).ToList();
            var (nodeId, cohortId) = await platform.JoinAsync(_temp, state, CohortJson, cohortId => string.Concat(
                subjects.Select(s => $"{s.Subject},{cohortId},DUO:0000042,granted\n")));
            (await admin.PostAsJsonAsync($"/api/v1/cohorts/{cohortId}/stewards", new AddStewardRequest(stewardId), DragonJson.Options)).EnsureSuccessStatusCode();
            var data = _temp.File($"data-{i}.csv", "subject_ref,age,los\n" + string.Concat(subjects.Select(s => $"{s.Subject},{s.Age},{s.Los}\n")));
            nodes.Add((nodeId, state, cohortId, data));
        }
        var cohorts = nodes.Select(n => n.CohortId).ToList();
        await platform.PinPeersAsync(nodes.Select(n => n.State));
        var (agreementId, keySet) = await PlatformJobs.AgreementAndKeySetAsync(researcher, steward, new AccessRequestBody(
            "Length of stay by age", "DUO:0000006", cohorts, ["age", "los"], ["sum"], "Pooled length of stay of COVID-19 admissions.", 30), nodes.Select(n => n.NodeId));

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var consoles = nodes.Select(_ => new TestConsole(platform.Handler)).ToList();
        var runs = new List<Task<int>>();
        try
        {
            runs.AddRange(nodes.Select((n, i) => NodeCli.RunAsync(["run", "--state", n.State, "--data", $"{n.CohortId}={n.Data}", "--poll-seconds", "0.2"], consoles[i].Console, stop.Token)));
            await PlatformJobs.WaitForReadyAsync(steward, keySet.Id, stop.Token);
            Task<JobResponse> Job(string variable, params FilterCondition[] filter) =>
                PlatformJobs.FinishAsync(researcher, new JobRequest(agreementId, keySet.Id, cohorts, filter, new AggregationSpec("sum", variable)), stop.Token);
            var all = Hospitals.SelectMany(h => h).ToList();

            var overForty = await Job("age", Condition("age", "ge", 40));
            Assert.Equal("released", overForty.Status);
            Assert.Equal(all.Where(s => s.Age >= 40).Sum(s => s.Age), Assert.Single(overForty.Result!.Cells).Value);

            // The attack of the issue: the same sum without the one patient aged 57 would give away that patient's age.
            var withoutOne = await Job("age", Condition("age", "ge", 40), Condition("age", "ne", 57));
            Assert.Equal(("failed", null), (withoutOne.Status, withoutOne.Result));
            Assert.Contains("differencing", withoutOne.Failure, StringComparison.Ordinal);
            Assert.Contains(overForty.Id.ToString(), withoutOne.Failure, StringComparison.Ordinal);

            // Fifteen patients are 57 or more: the two selections differ by enough to release both.
            var under57 = await Job("los", Condition("age", "ge", 40), Condition("age", "lt", 57));
            Assert.Equal("released", under57.Status);
            Assert.Equal(all.Where(s => s.Age is >= 40 and < 57).Sum(s => s.Los), Assert.Single(under57.Result!.Cells).Value);
            Assert.Equal(0, under57.Result!.Missing!.Value);

            // Fifteen more records by the filter, but only one of them has a length of stay: the sums would give it away.
            var overFortyStay = await Job("los", Condition("age", "ge", 40));
            Assert.Equal("failed", overFortyStay.Status);
            Assert.Contains(under57.Id.ToString(), overFortyStay.Failure, StringComparison.Ordinal);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("The agents did not finish: " + string.Join(" | ", consoles.Select(c => c.Error)));
        }
        await stop.CancelAsync();
        Assert.All(await Task.WhenAll(runs), code => Assert.Equal(NodeCli.Succeeded, code));
        Assert.All(consoles, c => Assert.DoesNotContain("pt-", c.Error, StringComparison.Ordinal));
    }

    private static FilterCondition Condition(string variable, string op, object value) =>
        new(variable, op, JsonSerializer.SerializeToElement(value, DragonJson.Options));
}
