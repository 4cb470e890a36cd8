using Dragon.Contracts.Jobs;
using Dragon.EndToEnd.Tests.Infrastructure;
using Dragon.Platform.Audit;

namespace Dragon.EndToEnd.Tests;

/// <summary>
/// Faults injected into running processes: an agent killed between its commitment and its contribution, and the
/// database server restarted under a job. Each job still releases the plain statistic, and nothing arrives twice.
/// </summary>
public sealed class FaultTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task AgentKilled_BetweenCommitmentAndContribution_RevealsWhatItCommittedToOnce()
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var consortium = await Consortium.StartAsync("Sqlite", patientsPerNode: 60, timeout.Token);
        var (victim, late) = (consortium.Nodes[0], consortium.Nodes[2]);
        late.StopAgent();
        var count = new AggregationSpec("count");
        var submitted = await consortium.SubmitJobAsync(count, timeout.Token);
        await consortium.Researcher.WaitForJobAsync(submitted.Id, job => job.Nodes.Single(n => n.NodeId == victim.NodeId).State == "committed", timeout.Token);

        victim.StopAgent();
        victim.StartAgent();
        late.StartAgent();
        var job = await consortium.Researcher.WaitUntilFinishedAsync(submitted.Id, timeout.Token);

        ReleasedResult.AssertEquals(PlainStatistics.Compute(count, null, consortium.Patients), job, consortium.Logs());
        Assert.Equal(1, consortium.AuditEventCount(AuditAction.Job_CommitmentReceived, job.Id, victim.NodeId));
        Assert.Equal(1, consortium.AuditEventCount(AuditAction.Job_ContributionReceived, job.Id, victim.NodeId));
        Assert.Equal(consortium.Nodes.Count, consortium.AuditEventCount(AuditAction.Job_ContributionReceived, job.Id));
        var (code, report) = await victim.VerifyAuditAsync(timeout.Token);
        Assert.True(code == 0, $"The restarted node's log and the platform's trail disagree:\n{report}");
    }

    [Fact]
    public async Task PostgresRestarted_MidJob_TheJobCompletesOnceItIsBack()
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var server = PostgresServer.Start();
        using var consortium = await Consortium.StartAsync("PostgreSql", patientsPerNode: 60, timeout.Token, postgresServer: server.ConnectionString);
        var late = consortium.Nodes[2];
        late.StopAgent();
        var histogram = new AggregationSpec("histogram", "ct_severity", [0, 10, 26]);
        var submitted = await consortium.SubmitJobAsync(histogram, timeout.Token);
        await consortium.Researcher.WaitForJobAsync(submitted.Id, job => job.Nodes.Count(n => n.State == "committed") == 2, timeout.Token);

        server.Restart();
        late.StartAgent();
        var job = await consortium.Researcher.WaitUntilFinishedAsync(submitted.Id, timeout.Token);

        ReleasedResult.AssertEquals(PlainStatistics.Compute(histogram, null, consortium.Patients), job, consortium.Logs());
        Assert.Equal(consortium.Nodes.Count, consortium.AuditEventCount(AuditAction.Job_ContributionReceived, job.Id));
        Assert.Equal(1, consortium.AuditEventCount(AuditAction.Job_Released, job.Id));
    }

    [Fact]
    public async Task NodeDiskFull_WhileWritingItsState_AgentStopsWithAClearErrorAndKeepsItsSecrets()
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var consortium = await Consortium.StartAsync("Sqlite", patientsPerNode: 60, timeout.Token);
        var node = consortium.Nodes[0];
        node.StopAgent();
        var secrets = SecretFiles(node.StateFolder);
        Assert.Contains("identity.json", secrets.Keys);
        Assert.Contains(secrets.Keys, name => name.StartsWith("key-set-", StringComparison.Ordinal));

        // A file may grow to 128 KiB: a job's ciphertext (several hundred KiB at bfv-8192) does not fit.
        node.StartAgent(fileSizeLimitKiB: 128);
        var count = new AggregationSpec("count");
        var submitted = await consortium.SubmitJobAsync(count, timeout.Token);
        var code = await node.WaitForAgentExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(code == 1, $"The agent ended with {code}:\n{node.AgentOutput}");
        Assert.Contains("Free space on that disk", node.AgentOutput, StringComparison.Ordinal);
        Assert.Equal(secrets, SecretFiles(node.StateFolder));
        Assert.Empty(Directory.GetFiles(node.StateFolder, "*.tmp"));
        node.StartAgent();
        var job = await consortium.Researcher.WaitUntilFinishedAsync(submitted.Id, timeout.Token);
        ReleasedResult.AssertEquals(PlainStatistics.Compute(count, null, consortium.Patients), job, consortium.Logs());
    }

    /// <summary>The SHA-256 of each file holding a secret: the state key and state, the identity key, the key shares.</summary>
    private static Dictionary<string, string> SecretFiles(string folder) =>
        Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>()
            .Where(name => name is "state.key" or "state.json" or "identity.json"
                || (name.StartsWith("key-set-", StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal) && !name.Contains(".verified.", StringComparison.Ordinal) && !name.Contains(".dealt.", StringComparison.Ordinal)))
            .ToDictionary(name => name, name => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, name)))));
}
