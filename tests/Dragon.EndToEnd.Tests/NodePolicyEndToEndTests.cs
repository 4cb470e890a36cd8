using Dragon.Contracts.Jobs;
using Dragon.EndToEnd.Tests.Infrastructure;

namespace Dragon.EndToEnd.Tests;

/// <summary>
/// A hospital's own rules and own record, with the platform and agents as processes: its policy refuses one researcher's
/// job (which fails naming the node and the rule) while another researcher's job runs, its exported audit report lists
/// every job it served and the one it refused, and its verify finds a platform trail rewritten behind its back.
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

    [Fact]
    public async Task PlatformTrailRewrittenForAJob_IsReportedByTheNodesVerify_EachChangeNamed()
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var consortium = await Consortium.StartAsync("Sqlite", patientsPerNode: 60, timeout.Token);
        var job = await consortium.RunJobAsync(new AggregationSpec("count"), timeout.Token);
        var (node, other) = (consortium.Nodes[0], consortium.Nodes[1]);
        var (cleanCode, cleanReport) = await node.VerifyAuditAsync(timeout.Token);
        Assert.True(cleanCode == 0 && cleanReport.Length == 0, $"verify before the rewrite: {cleanCode}\n{cleanReport}\n{consortium.Logs()}");

        // The operator edits the trail behind the nodes' backs: this node's contribution now records other bytes, and
        // another node's decryption share is put on this node.
        consortium.ExecuteSql($$"""
            UPDATE "AuditEvents" SET "Payload" = '{"sha256":"{{new string('0', 64)}}"}'
            WHERE "ActorId" = '{{node.NodeId}}' AND "ObjectId" = '{{job.Id}}' AND "Action" = 1602;
            UPDATE "AuditEvents" SET "ActorId" = '{{node.NodeId}}'
            WHERE "ActorId" = '{{other.NodeId}}' AND "ObjectId" = '{{job.Id}}' AND "Action" = 1604;
            """);
        var (code, report) = await node.VerifyAuditAsync(timeout.Token);

        Assert.NotEqual(0, code);
        Assert.Contains($"The contribution of job {job.Id}", report, StringComparison.Ordinal);
        Assert.Contains("is not the event the platform receipted", report, StringComparison.Ordinal);
        Assert.Contains($"records Job_DecryptionShareReceived of job {job.Id} by this node, which this node's log does not have", report, StringComparison.Ordinal);
        Assert.Equal(2, report.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
