using Dragon.Contracts.Jobs;
using Dragon.Node.Jobs;

namespace Dragon.Node.Tests.Jobs;

/// <summary>
/// The real agent in a 2-of-3 key set whose platform is a double: it deals its secret sealed to every member, combines
/// what the others dealt it, and gives a decryption share only for a subset of t contributors it belongs to. Its policy
/// allows exact jobs that go on with two sites, so the attacks are on the subset and the contributor list alone.
/// </summary>
public sealed class ThresholdNodeTests : IAsyncLifetime
{
    private const int Threshold = 2;
    private NodeUnderAttack _node = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeUnderAttack.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(_node.StateFolder, NodePolicy.FileName), """{ "allowExactRelease": true, "allowExactLeaveOut": true, "minSites": 2 }""");
        await _node.ThresholdCeremonyAsync(Threshold);
    }

    public Task DisposeAsync()
    {
        _node.Dispose();
        return Task.CompletedTask;
    }

    private JobTaskSpec Manifest() => _node.Manifest() with { MinContributors = Threshold };

    [Fact]
    public async Task HonestSubsets_EachGetAShareThatDecryptsTheSumWithTheOtherMembersShare()
    {
        var job = await _node.HonestJobUntilDecryptionAsync(Manifest());
        List<Guid> first = [.. new[] { _node.NodeId, _node.Peers[0].NodeId }.Order()];
        List<Guid> second = [.. new[] { _node.NodeId, _node.Peers[1].NodeId }.Order()];

        await _node.ServeAsync(_node.DecryptionTask(job) with { DecryptionSubset = first });
        await _node.ServeAsync(_node.DecryptionTask(job) with { DecryptionSubset = second });

        var shares = _node.DecryptionShares(job.Manifest.JobId);
        Assert.True(shares.Count == 2, _node.Log);
        Assert.Equal(0 + 5 + 7, _node.ThresholdDecrypt(job.Aggregate, shares[0], first, Threshold, 3));
        Assert.Equal(0 + 5 + 7, _node.ThresholdDecrypt(job.Aggregate, shares[1], second, Threshold, 3));
    }

    [Fact]
    public async Task ContributorsLeftOut_DownToTheManifestsMinimum_StillDecrypt()
    {
        var manifest = Manifest();
        await _node.ServeAsync(_node.CommitmentTask(manifest));
        var own = _node.OwnCommitment(manifest.JobId)!;
        var (b, bCommitment) = _node.Contribute(_node.Peers[0], manifest, 5);
        List<SignedCommitment> two = [.. new[] { own, bCommitment }.OrderBy(c => c.NodeId)];
        await _node.ServeAsync(_node.RevealTask(manifest, two));
        var revealed = Convert.FromBase64String(_node.Reveals(manifest.JobId).Single().Ciphertext!);
        List<byte[]> contributions = [.. two.Select(c => c.NodeId == _node.NodeId ? revealed : b)];
        List<Guid> subset = [.. two.Select(c => c.NodeId)];

        await _node.ServeAsync(_node.DecryptionTask(manifest, two, contributions, NodeUnderAttack.Sum(contributions)) with { DecryptionSubset = subset });

        var share = Assert.Single(_node.DecryptionShares(manifest.JobId));
        Assert.Equal(0 + 5, _node.ThresholdDecrypt(NodeUnderAttack.Sum(contributions), share, subset, Threshold, 2));
    }

    [Theory]
    [InlineData("absent")]
    [InlineData("without this node")]
    [InlineData("all three")]
    [InlineData("a node that did not contribute")]
    public async Task DecryptionSubset_NotTContributorsWithThisNode_IsRefused(string how)
    {
        var job = await _node.HonestJobUntilDecryptionAsync(Manifest());
        List<Guid>? subset = how switch
        {
            "absent" => null,
            "without this node" => [.. _node.Peers.Select(p => p.NodeId).Order()],
            "all three" => [.. _node.Members],
            _ => [.. new[] { _node.NodeId, Guid.NewGuid() }.Order()],
        };

        await _node.ServeAsync(_node.DecryptionTask(job) with { DecryptionSubset = subset });

        Assert.Empty(_node.DecryptionShares(job.Manifest.JobId));
        Assert.Contains($"the decryption subset of job {job.Manifest.JobId} must be {Threshold} distinct contributors in node order, this node among them", _node.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FewerContributorsThanTheManifestsMinimum_AreRefusedAtReveal()
    {
        var manifest = _node.Manifest() with { MinContributors = 3 };
        await _node.ServeAsync(_node.CommitmentTask(manifest));
        var own = _node.OwnCommitment(manifest.JobId)!;
        var (_, bCommitment) = _node.Contribute(_node.Peers[0], manifest, 5);

        await _node.ServeAsync(_node.RevealTask(manifest, [.. new[] { own, bCommitment }.OrderBy(c => c.NodeId)]));

        Assert.Empty(_node.Reveals(manifest.JobId));
        Assert.Contains("it needs one from each of at least 3 of its 3 participants", _node.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    public async Task Manifest_WithoutAMinimumOrBelowTheThreshold_GetsNoCommitment(int? minContributors)
    {
        var manifest = _node.Manifest() with { MinContributors = minContributors };

        await _node.ServeAsync(_node.CommitmentTask(manifest));

        Assert.Null(_node.OwnCommitment(manifest.JobId));
        Assert.Contains($"job {manifest.JobId} may go on with", _node.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExactJobThatMayLeaveNodesOut_IsRefused_UnlessThePolicyAllowsIt()
    {
        await File.WriteAllTextAsync(Path.Combine(_node.StateFolder, NodePolicy.FileName), """{ "allowExactRelease": true, "minSites": 2 }""");
        var manifest = Manifest() with { Privacy = new Contracts.Privacy.JobPrivacy("exact", 0) };

        await _node.ServeAsync(_node.CommitmentTask(manifest));

        Assert.Null(_node.OwnCommitment(manifest.JobId));
        Assert.Contains("(allowExactLeaveOut)", _node.Log, StringComparison.Ordinal);
    }
}

/// <summary>A relay that alters what was dealt to the node: the node refuses to combine, and gives no decryption share.</summary>
public sealed class TamperedThresholdShareTests
{
    [Theory]
    [InlineData("a flipped byte")]
    [InlineData("one share missing")]
    public async Task DealtShareAltered_TheNodeGivesNoShare(string how)
    {
        using var node = await NodeUnderAttack.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName), """{ "allowExactRelease": true, "allowExactLeaveOut": true, "minSites": 2 }""");
        await node.ThresholdCeremonyAsync(2, shares => how == "one share missing" ? [.. shares.Skip(1)] : [.. shares.Select((s, i) => i == 1 ? s with { Ciphertext = Flip(s.Ciphertext!) } : s)]);
        var job = await node.HonestJobUntilDecryptionAsync(node.Manifest() with { MinContributors = 2 });

        await node.ServeAsync(node.DecryptionTask(job) with { DecryptionSubset = [.. new[] { node.NodeId, node.Peers[0].NodeId }.Order()] });

        Assert.Empty(node.DecryptionShares(job.Manifest.JobId));
        Assert.Contains(how == "one share missing" ? "it needs one from each of its 3 members" : "is malformed or not signed by its identity key", node.Log, StringComparison.Ordinal);
    }

    private static string Flip(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        bytes[^20] ^= 1;
        return Convert.ToBase64String(bytes);
    }
}
