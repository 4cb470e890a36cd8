using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Node.Jobs;

namespace Dragon.Node.Tests.Jobs;

/// <summary>
/// The platform as an adversary (DESIGN.md's threat model): a <see cref="Infrastructure.PlatformDouble"/> serves the real
/// agent what a malicious or compromised platform could, one attack per test, in a three-node consortium whose key
/// ceremony ran for real. Each attack must end with no decryption share for it, the node's secret unchanged, and a log
/// line saying what was refused. The first test shows the double is faithful when it is honest, so the refusals mean
/// something.
/// </summary>
public sealed class MaliciousPlatformTests : IAsyncLifetime
{
    private NodeUnderAttack _node = null!;
    private byte[] _secret = [];

    public async Task InitializeAsync()
    {
        _node = await NodeUnderAttack.StartAsync();
        await _node.CeremonyAsync();
        _secret = _node.SecretFile();
    }

    public Task DisposeAsync()
    {
        _node.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task HonestPlatform_GetsOneShareThatDecryptsTheSumWithThePeersShares()
    {
        var job = await _node.HonestJobUntilDecryptionAsync();

        await _node.ServeAsync(_node.DecryptionTask(job));

        var share = Assert.Single(_node.DecryptionShares(job.Manifest.JobId));
        Assert.Equal(0 + 5 + 7, _node.Decrypt(job.Aggregate, share));
        Assert.Contains("decryption share uploaded", _node.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Refused", _node.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubsetList_ThisNodesContributionAlone_IsRefused()
    {
        var job = await _node.HonestJobUntilDecryptionAsync();
        var own = job.Contributions[_node.NodeId];

        await _node.ServeAsync(_node.DecryptionTask(job.Manifest, job.Commitments, [own], own));

        AssertRefused(job, "is said to hold 1 contributions; the task lists 3 contributors' commitments");
    }

    [Fact]
    public async Task DuplicatedEntry_OnePeersContributionTwice_IsRefused()
    {
        var job = await _node.HonestJobUntilDecryptionAsync();
        byte[][] listed = [job.Contributions[_node.NodeId], job.Contributions[_node.Peers[0].NodeId], job.Contributions[_node.Peers[0].NodeId]];

        await _node.ServeAsync(_node.DecryptionTask(job.Manifest, job.Commitments, listed, NodeUnderAttack.Sum(listed)));

        AssertRefused(job, "matches no participant's commitment, or one that another contribution already matched");
    }

    [Theory]
    [InlineData("unsigned", "is malformed")]
    [InlineData("signed by the other peer", "is not signed by its identity key")]
    [InlineData("signed for another manifest", "is not signed by its identity key")]
    public async Task CommitmentNotSignedByItsNode_IsRefused(string how, string refusal)
    {
        var job = await _node.HonestJobUntilDecryptionAsync();
        var victim = _node.Peers[1];
        var honest = job.Commitments.Single(c => c.NodeId == victim.NodeId);
        var forged = how switch
        {
            "unsigned" => honest with { Signature = "" },
            "signed by the other peer" => NodeUnderAttack.Commit(_node.Peers[0], job.Manifest, job.Contributions[victim.NodeId]) with { NodeId = victim.NodeId },
            _ => NodeUnderAttack.Commit(victim, _node.Manifest(jobId: job.Manifest.JobId), job.Contributions[victim.NodeId]),
        };
        List<SignedCommitment> commitments = [.. job.Commitments.Select(c => c.NodeId == victim.NodeId ? forged : c)];

        await _node.ServeAsync(_node.DecryptionTask(job with { Commitments = commitments }));

        AssertRefused(job, refusal);
    }

    [Fact]
    public async Task ExtraCiphertext_BeyondOnePerParticipant_IsRefused()
    {
        var job = await _node.HonestJobUntilDecryptionAsync();
        byte[][] listed = [.. job.Manifest.Participants.Select(p => job.Contributions[p]), _node.Encrypt(1000)];

        await _node.ServeAsync(_node.DecryptionTask(job.Manifest, job.Commitments, listed, NodeUnderAttack.Sum(listed)));

        AssertRefused(job, "More than the 3 ciphertexts expected");
    }

    [Fact]
    public async Task ShrunkenParticipantSet_AtDecryption_IsRefused()
    {
        var job = await _node.HonestJobUntilDecryptionAsync();
        List<Guid> two = [.. new[] { _node.NodeId, _node.Peers[0].NodeId }.Order()];
        var shrunk = job.Manifest with { Participants = two, ParticipantCount = 2 };
        List<SignedCommitment> commitments = [.. job.Commitments.Where(c => two.Contains(c.NodeId))];
        byte[][] listed = [.. two.Select(p => job.Contributions[p])];

        await _node.ServeAsync(_node.DecryptionTask(shrunk, commitments, listed, NodeUnderAttack.Sum(listed)));

        AssertRefused(job, "has 2 participants; every one of the 3 members");
    }

    [Fact]
    public async Task ShrunkenParticipantSet_AtCommitment_GetsNoCommitment()
    {
        var manifest = _node.Manifest([.. new[] { _node.NodeId, _node.Peers[0].NodeId }.Order()]);

        await _node.ServeAsync(_node.CommitmentTask(manifest));

        Assert.Null(_node.OwnCommitment(manifest.JobId));
        Assert.Contains("Refused: job " + manifest.JobId + " has 2 participants", _node.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("listed as the peer's, which committed to another")]
    [InlineData("committed to anew by a colluding peer after this node revealed")]
    public async Task AggregateWhoseC1IsAConstant_IsRefused(string how)
    {
        var job = await _node.HonestJobUntilDecryptionAsync();
        var own = job.Contributions[_node.NodeId];
        var colluder = _node.Peers[0];
        // X = Y - c_own, so c_own + X = Y: a ciphertext whose c1 the platform chose, the same for every node it asks.
        var chosen = CiphertextVector.ReadFrom(_node.Encrypt(0), NodeUnderAttack.Parameters);
        var ownVector = CiphertextVector.ReadFrom(own, NodeUnderAttack.Parameters);
        var evaluator = new Evaluator(NodeUnderAttack.Parameters);
        var x = new Ciphertext(NodeUnderAttack.Parameters);
        evaluator.Sub(chosen.Parts[0], ownVector.Parts[0], x);
        var xBytes = new CiphertextVector(1, [x]).ToArray();
        var commitments = how.StartsWith("listed", StringComparison.Ordinal)
            ? job.Commitments
            : [.. job.Commitments.Select(c => c.NodeId == colluder.NodeId ? NodeUnderAttack.Commit(colluder, job.Manifest, xBytes) : c)];
        var contributions = job.Manifest.Participants.Select(p => p == colluder.NodeId ? xBytes : job.Contributions[p]).ToList();

        await _node.ServeAsync(_node.DecryptionTask(job.Manifest, commitments, contributions, NodeUnderAttack.Sum(contributions)));

        AssertRefused(job, how.StartsWith("listed", StringComparison.Ordinal)
            ? "matches no participant's commitment"
            : "lists other commitments than the ones this node saw before it revealed");
    }

    [Fact]
    public async Task AggregateThatIsNotTheSumOfTheListedContributions_IsRefused()
    {
        var job = await _node.HonestJobUntilDecryptionAsync();

        await _node.ServeAsync(_node.DecryptionTask(job with { Aggregate = _node.Encrypt(12) }));

        AssertRefused(job, "is not the sum of its participants' committed contributions");
    }

    [Theory]
    [InlineData("a collective key the platform made", "is not the sum of its members' signed shares")]
    [InlineData("another identity key for this node", "lists another identity key")]
    [InlineData("another share for this node", "lists another public-key share for this node")]
    [InlineData("a peer's share unsigned", "has no signed share")]
    [InlineData("a peer's share signed for another party index", "is not signed by its identity key")]
    public async Task ForgedKeySet_IsRefusedBeforeAnyCommitment(string forgery, string refusal)
    {
        var roster = _node.ReadyKeySet;
        var members = roster.Members!.ToList();
        var own = members.Single(m => m.NodeId == _node.NodeId);
        var peer = members.Single(m => m.NodeId == _node.Peers[0].NodeId);
        var platformKey = new KeyGenerator(NodeUnderAttack.Parameters).CreatePublicKey().ToArray();
        var forged = forgery switch
        {
            "a collective key the platform made" => roster with { CollectivePublicKey = Convert.ToBase64String(platformKey) },
            "another identity key for this node" => roster with { Members = [.. members.Select(m => m == own ? own with { PublicKey = _node.Peers[1].PublicKey } : m)] },
            "another share for this node" => roster with { Members = [.. members.Select(m => m == own ? own with { Share = peer.Share } : m)] },
            "a peer's share unsigned" => roster with { Members = [.. members.Select(m => m == peer ? peer with { Signature = null } : m)] },
            _ => roster with { Members = [.. members.Select(m => m == peer ? peer with { Signature = _node.Peers[0].Sign(SignedStatements.KeyShare(
                _node.KeySetId, _node.Seed, (peer.PartyIndex + 1) % 3, peer.NodeId, Convert.FromHexString(peer.ShareDigest!))) } : m)] },
        };
        _node.Platform.KeySets[_node.KeySetId] = forged;
        var manifest = _node.Manifest();

        await _node.ServeAsync(_node.CommitmentTask(manifest));

        Assert.Null(_node.OwnCommitment(manifest.JobId));
        Assert.Null(VerifiedKeySet.Find(Dragon.Node.State.StateFolder.Open(_node.StateFolder), _node.KeySetId));
        Assert.Contains("Refused: ", _node.Log, StringComparison.Ordinal);
        Assert.Contains(refusal, _node.Log, StringComparison.Ordinal);
        Assert.Equal(_secret, _node.SecretFile());
    }

    [Fact]
    public async Task KeySetWithAnUntrustedMember_IsRefusedNamingIt()
    {
        using var node = await NodeUnderAttack.StartAsync(pinned: 1);
        await node.CeremonyAsync();
        var secret = node.SecretFile();
        var manifest = node.Manifest();

        await node.ServeAsync(node.CommitmentTask(manifest));

        Assert.Null(node.OwnCommitment(manifest.JobId));
        Assert.Equal(secret, node.SecretFile());
        Assert.Contains($"Refused: member {node.Peers[1].NodeId} of key set {node.KeySetId} has identity {node.Peers[1].Fingerprint}, which this node does not trust",
            node.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayedDecryptionTask_IsAnsweredWithTheSameShare_NeverAFreshlySmudgedOne()
    {
        var job = await _node.HonestJobUntilDecryptionAsync();
        await _node.ServeAsync(_node.DecryptionTask(job));

        await _node.ServeAsync(_node.DecryptionTask(job));
        await _node.ServeAsync(_node.DecryptionTask(job));

        var shares = _node.DecryptionShares(job.Manifest.JobId);
        Assert.Equal(3, shares.Count);
        Assert.Single(shares.Select(s => s.Share).Distinct());
        Assert.Contains("sent the decryption share made before again; no new one", _node.Log, StringComparison.Ordinal);
        Assert.Equal(_secret, _node.SecretFile());
    }

    [Fact]
    public async Task SecondKeyShareTask_ForAKeySetWhoseSecretExists_MakesNoNewSecret()
    {
        await _node.ServeAsync(_node.KeyShareTask());

        var uploads = _node.Platform.UploadsTo<KeyShareUpload>(_node.SharesPath);
        Assert.Equal(2, uploads.Count);
        Assert.Equal(uploads[0], uploads[1]);
        Assert.Equal(_secret, _node.SecretFile());
        Assert.Contains("refused to make a new secret", _node.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecryptionBeyondTheKeySetsSmudgingLifetime_IsRefused_WhateverThePlatformCounts()
    {
        var job = await _node.HonestJobUntilDecryptionAsync();
        var counter = Path.Combine(_node.StateFolder, VerifiedKeySet.DecryptedPartsFileNameOf(_node.KeySetId));
        await File.WriteAllTextAsync(counter, (SmudgingTarget.KeySetLifetime.MaxDecryptedParts - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        await _node.ServeAsync(_node.DecryptionTask(job));
        var last = Assert.Single(_node.DecryptionShares(job.Manifest.JobId));
        var next = await _node.HonestJobUntilDecryptionAsync();
        await _node.ServeAsync(_node.DecryptionTask(next));

        Assert.Equal(0 + 5 + 7, _node.Decrypt(job.Aggregate, last));
        Assert.Equal(SmudgingTarget.KeySetLifetime.MaxDecryptedParts.ToString(System.Globalization.CultureInfo.InvariantCulture), await File.ReadAllTextAsync(counter));
        AssertRefused(next, "ciphertext parts its smudging allows: it is retired");
    }

    [Fact]
    public async Task ManifestChangedAfterTheCommitment_IsRefusedAtTheReveal()
    {
        var manifest = _node.Manifest();
        await _node.ServeAsync(_node.CommitmentTask(manifest));
        var changed = manifest with { Filter = [new FilterCondition("age", "ge", System.Text.Json.JsonDocument.Parse("40").RootElement)] };
        var (_, b) = _node.Contribute(_node.Peers[0], changed, 5);
        var (_, c) = _node.Contribute(_node.Peers[1], changed, 7);

        await _node.ServeAsync(_node.RevealTask(changed, [.. new[] { _node.OwnCommitment(manifest.JobId)!, b, c }.OrderBy(x => x.NodeId)]));

        Assert.Empty(_node.Reveals(manifest.JobId));
        Assert.Contains("now has another manifest than the one this node committed under", _node.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevealBeforeEveryParticipantCommitted_IsRefused()
    {
        var manifest = _node.Manifest();
        await _node.ServeAsync(_node.CommitmentTask(manifest));
        var (_, b) = _node.Contribute(_node.Peers[0], manifest, 5);

        await _node.ServeAsync(_node.RevealTask(manifest, [.. new[] { _node.OwnCommitment(manifest.JobId)!, b }.OrderBy(x => x.NodeId)]));

        Assert.Empty(_node.Reveals(manifest.JobId));
        Assert.Contains("lists commitments of 2 nodes; it needs one from each of at least 3 of its 3 participants", _node.Log, StringComparison.Ordinal);
    }

    /// <summary>No share for the job, the secret unchanged, and the refusal logged.</summary>
    private void AssertRefused(NodeUnderAttack.JobInFlight job, string refusal)
    {
        Assert.Empty(_node.DecryptionShares(job.Manifest.JobId));
        Assert.Equal(_secret, _node.SecretFile());
        Assert.Contains($"decryptionShare task for job {job.Manifest.JobId:D}: Refused: ", _node.Log, StringComparison.Ordinal);
        Assert.Contains(refusal, _node.Log, StringComparison.Ordinal);
    }
}
