using Dragon.Contracts.Jobs;
using Dragon.EndToEnd.Tests.Infrastructure;

namespace Dragon.EndToEnd.Tests;

/// <summary>
/// A hospital's own rules and own record, with the platform and agents as processes: its policy refuses one researcher's
/// job (which fails naming the node and the rule) while another researcher's job runs, and its exported audit report
/// lists every job it served and the one it refused.
/// </summary>
public sealed class NodePolicyEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task PolicyDenyingAResearcher_FailsTheirJobNamingNodeAndRule_WhileAnothersRuns_AndTheReportListsBoth()
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var consortium = await Consortium.StartAsync("Sqlite", patientsPerNode: 60, timeout.Token);
        var (mallory, malloryId, malloryAgreement) = await consortium.AddResearcherAsync("mallory@elsewhere.test", timeout.Token);
        var strict = consortium.Nodes[1];
        await File.WriteAllTextAsync(Path.Combine(strict.StateFolder, "policy.json"),
            $$"""{ "allowExactRelease": true, "deny": { "researchers": ["{{malloryId}}"] } }""", timeout.Token);
        var count = new AggregationSpec("count");

        var submitted = await mallory.SubmitJobAsync(new JobRequest(malloryAgreement, consortium.KeySetId, consortium.CohortIds, null, count), timeout.Token);
        var denied = await mallory.WaitUntilFinishedAsync(submitted.Id, timeout.Token);
        var served = await consortium.RunJobAsync(count, timeout.Token);

        Assert.True(denied.Status == "failed", $"Job {denied.Id} ended {denied.Status}.\n{consortium.Logs()}");
        Assert.Contains(strict.NodeName, denied.Failure, StringComparison.Ordinal);
        Assert.Contains("(deny.researchers)", denied.Failure, StringComparison.Ordinal);
        Assert.Null(denied.Result);
        ReleasedResult.AssertEquals(PlainStatistics.Compute(count, null, consortium.Patients), served, consortium.Logs());

        foreach (var node in consortium.Nodes)
        {
            var report = Path.Combine(node.Folder, "report");
            await node.ExportAuditAsync(report, timeout.Token);
            var rows = await File.ReadAllLinesAsync(Path.Combine(report, "node-audit.csv"), timeout.Token);
            Assert.Contains(rows, r => r.Contains(served.Id.ToString(), StringComparison.Ordinal) && r.Contains("\"served\",\"decryptionShare\"", StringComparison.Ordinal));
        }
        var strictRows = await File.ReadAllLinesAsync(Path.Combine(strict.Folder, "report", "node-audit.csv"), timeout.Token);
        Assert.Contains(strictRows, r => r.Contains(denied.Id.ToString(), StringComparison.Ordinal) && r.Contains("\"refused\"", StringComparison.Ordinal)
            && r.Contains("deny.researchers", StringComparison.Ordinal));
    }
}
