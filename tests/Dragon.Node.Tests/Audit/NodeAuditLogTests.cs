using System.Security.Cryptography;
using Dragon.Node.Audit;
using Dragon.Node.Cli;
using Dragon.Node.Platform;
using Dragon.Node.State;
using Dragon.Node.Tests.Infrastructure;
using Dragon.Node.Tests.Jobs;
using Microsoft.Data.Sqlite;

namespace Dragon.Node.Tests.Audit;

/// <summary>
/// The hospital's own record of what its node served and refused: appended by the agent as it works, chained and signed
/// with the node's identity key, verified at start, exported for a data protection officer.
/// </summary>
public sealed class NodeAuditLogTests
{
    [Fact]
    public async Task ServedJob_IsLoggedStepByStep_WithWhatLeftTheHospital_AndTheChainVerifies()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        var manifest = node.Manifest() with { Requester = new Contracts.Jobs.JobRequester(Guid.NewGuid(), Guid.NewGuid(), "Alice", "uni.example") };

        var job = await node.HonestJobUntilDecryptionAsync(manifest);
        await node.ServeAsync(node.DecryptionTask(job));

        var log = NodeAuditLog.Open(StateFolder.Open(node.StateFolder));
        var entries = log.Read().Select(r => r.Entry).Where(e => e.JobId == manifest.JobId).ToList();
        Assert.Equal(["commitment", "contribution", "decryptionShare"], entries.Select(e => e.Task));
        Assert.All(entries, e => Assert.Equal(NodeAuditEntry.Served, e.Outcome));
        var commitment = entries[0];
        Assert.Equal(("Alice", "uni.example", manifest.Requester!.AgreementId), (commitment.Researcher, commitment.Organisation, commitment.AgreementId));
        Assert.Contains("\"kind\":\"count\"", commitment.Query, StringComparison.Ordinal);
        Assert.NotNull(commitment.Records);
        Assert.NotNull(commitment.ConsentCursor);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(job.Contributions[node.NodeId])), commitment.UploadDigest);
        Assert.Equal(commitment.UploadDigest, entries[1].UploadDigest);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(node.DecryptionShares(manifest.JobId)[^1].Share!))), entries[2].UploadDigest);
        Assert.Null(log.Verify(NodeIdentity.ReadPublic(StateFolder.Open(node.StateFolder)).PublicKey));
    }

    /// <summary>
    /// The window between an upload the platform took and the node's log entry for it (an agent killed there, an answer
    /// lost): the platform's trail has the commitment and the node's log must too, or `audit verify` finds them apart.
    /// The reveal task lists the node's commitment, so the node logs it then, once.
    /// </summary>
    [Fact]
    public async Task ACommitmentThePlatformTookWithoutTheNodeHearing_IsLoggedAtTheReveal()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        var manifest = node.Manifest();
        node.Platform.LoseAnswersTo.Add($"/api/v1/jobs/{manifest.JobId}/commitments");
        await node.ServeAsync(node.CommitmentTask(manifest));
        var log = NodeAuditLog.Open(StateFolder.Open(node.StateFolder));
        Assert.False(log.HasServed(manifest.JobId, 0, "commitment"));
        node.Platform.LoseAnswersTo.Clear();

        var own = node.OwnCommitment(manifest.JobId)!;
        var (_, b) = node.Contribute(node.Peers[0], manifest, 5);
        var (_, c) = node.Contribute(node.Peers[1], manifest, 7);
        await node.ServeAsync(node.RevealTask(manifest, [.. new[] { own, b, c }.OrderBy(x => x.NodeId)]));
        await node.ServeAsync(node.RevealTask(manifest, [.. new[] { own, b, c }.OrderBy(x => x.NodeId)]));

        var entries = log.Read().Select(r => r.Entry).Where(e => e.JobId == manifest.JobId).ToList();
        Assert.Equal(["commitment", "contribution", "contribution"], entries.Select(e => e.Task));
        Assert.Equal((own.Digest, null), (entries[0].UploadDigest, entries[0].Receipt));
        Assert.Contains("holds this node's commitment, which its log did not have; logged now", node.Log, StringComparison.Ordinal);
        Assert.Null(log.Verify(NodeIdentity.ReadPublic(StateFolder.Open(node.StateFolder)).PublicKey));
    }

    /// <summary>The same window for the contribution: the decryption task's aggregate sums it, so the node logs it then.</summary>
    [Fact]
    public async Task AContributionThePlatformTookWithoutTheNodeHearing_IsLoggedAtTheDecryption()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        var manifest = node.Manifest();
        node.Platform.LoseAnswersTo.Add($"/api/v1/jobs/{manifest.JobId}/contributions");
        var job = await node.HonestJobUntilDecryptionAsync(manifest);
        var log = NodeAuditLog.Open(StateFolder.Open(node.StateFolder));
        Assert.False(log.HasServed(manifest.JobId, 0, "contribution"));
        node.Platform.LoseAnswersTo.Clear();

        await node.ServeAsync(node.DecryptionTask(job));

        var entries = log.Read().Select(r => r.Entry).Where(e => e.JobId == manifest.JobId).ToList();
        Assert.Equal(["commitment", "contribution", "decryptionShare"], entries.Select(e => e.Task));
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(job.Contributions[node.NodeId])), null), (entries[1].UploadDigest, entries[1].Receipt));
        Assert.Null(log.Verify(NodeIdentity.ReadPublic(StateFolder.Open(node.StateFolder)).PublicKey));
    }

    [Fact]
    public async Task RefusedTask_IsLoggedWithItsRule()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, Dragon.Node.Jobs.NodePolicy.FileName), """{ "minSites": 4 }""");
        var manifest = node.Manifest();

        await node.ServeAsync(node.CommitmentTask(manifest));

        var refused = Assert.Single(NodeAuditLog.Open(StateFolder.Open(node.StateFolder)).Read(), r => r.Entry.JobId == manifest.JobId).Entry;
        Assert.Equal((NodeAuditEntry.Refused, "commitment"), (refused.Outcome, refused.Task));
        Assert.Contains("this node's policy requires at least 4", refused.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditedOrRemovedEntry_OrOneSignedByAnotherKey_FailsVerification_AndTheAgentDoesNotStart()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        for (var i = 0; i < 3; i++)
        {
            await node.ServeAsync(node.CommitmentTask(node.Manifest()));
        }
        var folder = StateFolder.Open(node.StateFolder);
        var log = NodeAuditLog.Open(folder);
        var publicKey = NodeIdentity.ReadPublic(folder).PublicKey;
        var path = Path.Combine(node.StateFolder, NodeAuditLog.FileName);
        Assert.Null(log.Verify(publicKey));
        Assert.Throws<SqliteException>(() => Sql(path, "UPDATE entries SET body = body WHERE sequence = 1"));

        // Whoever edits the file drops the guards first: the hash chain still tells.
        Sql(path, "DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete;");
        Sql(path, "UPDATE entries SET body = replace(body, '\"served\"', '\"refused\"') WHERE sequence = 2");
        Assert.Equal((2L, "its content does not match its hash"), log.Verify(publicKey));
        var problem = Assert.Throws<NodeException>(() => new Dragon.Node.Agent.AgentLoop(node.Session, node.Console, new Dictionary<Guid, Dragon.Node.Data.ILocalDataSource>()));
        Assert.Contains("audit.db fails verification at entry 2", problem.Message, StringComparison.Ordinal);

        Sql(path, "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE sequence = 2");
        Assert.Equal((2L, "entry 2 is missing (the next is 3)"), log.Verify(publicKey));

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal((1L, "its signature is not this node's"), log.Verify(other.ExportSubjectPublicKeyInfo()));
    }

    [Fact]
    public async Task Export_WritesEveryJobOfThePeriod_AsCsvAndAsAnEscapedHtmlPage()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        var jobs = new[]
        {
            node.Manifest() with { Requester = new Contracts.Jobs.JobRequester(Guid.NewGuid(), Guid.NewGuid(), "<script>alert(1)</script>", "uni.example") },
            node.Manifest() with { Requester = new Contracts.Jobs.JobRequester(Guid.NewGuid(), Guid.NewGuid(), "=HYPERLINK(\"x\")", "uni.example") },
        };
        foreach (var manifest in jobs)
        {
            await node.ServeAsync(node.CommitmentTask(manifest));
        }
        var output = Path.Combine(node.StateFolder, "..", "report");
        var console = new TestConsole(() => node.Platform);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var code = await NodeCli.RunAsync(["audit", "export", "--state", node.StateFolder, "--out", output, "--from", today, "--to", today], console.Console);

        Assert.Equal(NodeCli.Succeeded, code);
        var csv = await File.ReadAllTextAsync(Path.Combine(output, "node-audit.csv"));
        var html = await File.ReadAllTextAsync(Path.Combine(output, "node-audit.html"));
        Assert.All(jobs, j => Assert.Contains(j.JobId.ToString(), csv, StringComparison.Ordinal));
        Assert.All(jobs, j => Assert.Contains(j.JobId.ToString(), html, StringComparison.Ordinal));
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    private static void Sql(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
