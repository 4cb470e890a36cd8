using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
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
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName), NodeUnderAttack.ExactAllowed);
        var accepted = node.Manifest();
        await node.ServeAsync(node.CommitmentTask(accepted));

        Assert.Null(node.OwnCommitment(refused.JobId));
        Assert.Contains($"Refused: job {refused.JobId} has 3 participating sites; this node's policy requires at least 4.", node.Log, StringComparison.Ordinal);
        Assert.NotNull(node.OwnCommitment(accepted.JobId));
    }

    [Fact]
    public async Task ExactRelease_IsRefusedByDefault_ADifferentiallyPrivateOneIsServedWithNoiseAdded()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        File.Delete(Path.Combine(node.StateFolder, NodePolicy.FileName));
        var exact = node.Manifest();
        var dp = node.Manifest() with { Privacy = new JobPrivacy(ReleaseModes.Dp, 0.02) };

        await node.ServeAsync(node.CommitmentTask(exact));
        var job = await node.HonestJobUntilDecryptionAsync(dp);
        await node.ServeAsync(node.DecryptionTask(job));

        Assert.Null(node.OwnCommitment(exact.JobId));
        Assert.Contains($"Refused: job {exact.JobId} is released exactly; this node's policy allows differentially private releases only (allowExactRelease).", node.Log, StringComparison.Ordinal);
        // The node's own count is 0; its noise has variance 1 / (2 * 0.02) / 2 = 12.5 (two honest nodes of three), so
        // |noise| <= 30 but for a chance below 1e-6 (8.5 standard deviations).
        var noisy = node.Decrypt(job.Aggregate, node.DecryptionShares(dp.JobId)[^1]) - (5 + 7);
        Assert.InRange(noisy, -30, 30);
    }

    [Fact]
    public async Task Rho_AbovePolicy_OrAVectorThatIsNotTheQuerysLayout_IsRefused()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName), """{ "maxRhoPerJob": 0.1 }""");
        var greedy = node.Manifest() with { Privacy = new JobPrivacy(ReleaseModes.Dp, 0.2) };
        var longer = node.Manifest() with { Privacy = new JobPrivacy(ReleaseModes.Dp, 0.05), VectorLength = 2 };
        var unbounded = node.Manifest() with
        {
            Privacy = new JobPrivacy(ReleaseModes.Dp, 0.05), Aggregation = new AggregationSpec("sum", "age"), VectorLength = 2,
            Variables = [new LayoutVariable("age", "integer", null)],
        };

        foreach (var manifest in new[] { greedy, longer, unbounded })
        {
            await node.ServeAsync(node.CommitmentTask(manifest));
            Assert.Null(node.OwnCommitment(manifest.JobId));
        }

        Assert.Contains($"Refused: job {greedy.JobId} spends rho 0.2; this node's policy allows at most 0.1 per job (maxRhoPerJob).", node.Log, StringComparison.Ordinal);
        Assert.Contains($"Refused: the vector of job {longer.JobId} (2 numbers, 0 decimal places) is not the layout of its query.", node.Log, StringComparison.Ordinal);
        Assert.Contains($"Refused: job {unbounded.JobId} is a differentially private sum of a variable without declared bounds.", node.Log, StringComparison.Ordinal);
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
