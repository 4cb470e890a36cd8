using Dragon.Node.Jobs;

namespace Dragon.Node.Tests.Jobs;

/// <summary>The hospital's own <c>policy.json</c>: stricter than the platform, read when a job arrives.</summary>
public sealed class NodePolicyTests
{
    [Fact]
    public async Task MinSites_AboveTheJobsParticipants_RefusesTheCommitment_AndTakesEffectWithoutARestart()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName), """{ "minSites": 4 }""");
        var refused = node.Manifest();

        await node.ServeAsync(node.CommitmentTask(refused));
        File.Delete(Path.Combine(node.StateFolder, NodePolicy.FileName));
        var accepted = node.Manifest();
        await node.ServeAsync(node.CommitmentTask(accepted));

        Assert.Null(node.OwnCommitment(refused.JobId));
        Assert.Contains($"Refused: job {refused.JobId} has 3 participating sites; this node's policy requires at least 4.", node.Log, StringComparison.Ordinal);
        Assert.NotNull(node.OwnCommitment(accepted.JobId));
    }

    [Fact]
    public async Task MinSites_BelowTwo_IsNotAPolicy()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName), """{ "minSites": 1 }""");
        var manifest = node.Manifest();

        await node.ServeAsync(node.CommitmentTask(manifest));

        Assert.Null(node.OwnCommitment(manifest.JobId));
        Assert.Contains("minSites must be at least 2", node.Log, StringComparison.Ordinal);
    }
}
