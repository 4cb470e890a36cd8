using System.Globalization;
using System.Security.Cryptography;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;
using Dragon.Contracts.Nodes;
using Dragon.Contracts.Privacy;
using Dragon.Homomorphic;
using Dragon.Node.Peers;
using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>A commitment task this node may serve: the manifest it checked, its digest, and what it did already, if anything.</summary>
public sealed record VerifiedCommitment(JobTaskSpec Manifest, byte[] ManifestDigest, IReadOnlyList<Guid> Participants, JobRecord? Existing);

/// <summary>
/// A decryption task this node may serve: its record of the round, the aggregate it checked, how many parts that is,
/// how many contributions it sums and, under a t-of-N key set, the decryption subset (in node order) to make the share for.
/// </summary>
public sealed record VerifiedAggregate(JobRecord Record, byte[] Aggregate, int Parts, IReadOnlyList<Guid> ContributorIds, IReadOnlyList<Guid>? Subset)
{
    public int Contributors => ContributorIds.Count;
}

/// <summary>
/// The one place that decides whether this node serves a task. It believes nothing the platform says that it can
/// check itself: a key set is used only once every member's identity key is trusted, every share carries its member's
/// signature and the collective key is recomputed from the shares; a job only when its manifest names this node, every
/// member of the key set and at least the policy's number of sites; a model's round only at coefficients that are the
/// least-squares solution of its previous round, which the node decrypts itself from the signed shares; a reveal only
/// against every participant's signed commitment; a decryption share only for the sum of exactly one committed ciphertext per participant, its own among
/// them, once per round, within the key set's smudging lifetime. Counts come from the node's own records, never from
/// the task. Each check that fails throws <see cref="TaskRefusedException"/> saying what was refused, before anything
/// is made or sent. The pinned peers and the node policy are read from the state folder when they are needed, so a
/// <c>peers trust</c> or a new <c>policy.json</c> takes effect without restarting the agent.
/// </summary>
/// <param name="trustPlatformRoster">Accept any identity key the platform lists, instead of the pinned peers only.</param>
public sealed class TaskVerifier(StateFolder folder, Guid nodeId, byte[] identityKey, bool trustPlatformRoster)
{
    /// <summary>Verified key sets read once: they never change once written.</summary>
    private readonly Dictionary<Guid, VerifiedKeySet> _verified = [];

    /// <summary>A key-share task: the share made before, to send again; or null when this node may make its secret for the key set now.</summary>
    public KeyShareRecord? KeyShare(NodeTask task, bool holdsSecret)
    {
        ArgumentNullException.ThrowIfNull(task);
        var made = KeyShareRecord.Find(folder, task.KeySetId);
        Require(made is not null || !holdsSecret, $"this node holds a secret for key set {task.KeySetId} but no record of its share; it will not make another.");
        return made;
    }

    /// <summary>This node's party index in a key set it is about to make a share for (its place among the members by node id), and the key set's threshold.</summary>
    public (int PartyIndex, int Threshold) PartyIndex(NodeTask task, KeySetResponse keySet)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(keySet);
        Require(keySet.Id == task.KeySetId && keySet.Parameters == task.Parameters && keySet.CommonSeed == task.CommonSeed && keySet.Status == "Pending",
            $"key set {task.KeySetId} as the platform serves it is not the pending key set of the task.");
        var members = keySet.Nodes.Select(n => n.NodeId).ToList();
        Require(members.Distinct().Count() == members.Count && members.Contains(nodeId), $"key set {task.KeySetId} does not list this node once.");
        return (members.Order().ToList().IndexOf(nodeId), ThresholdOf(keySet));
    }

    /// <summary>The key set's threshold as served (0 from platforms before thresholds: all members), checked to be 2 to N.</summary>
    private static int ThresholdOf(KeySetResponse keySet)
    {
        var members = keySet.Nodes.Count;
        var threshold = keySet.Threshold is 0 ? members : keySet.Threshold;
        Require(threshold >= 2 && threshold <= members, $"key set {keySet.Id} has threshold {threshold} for {members} members.");
        return threshold;
    }

    /// <summary>The key set as this node verified it: its own record, or the platform's roster checked now and recorded.</summary>
    public async Task<VerifiedKeySet> KeySetAsync(NodeTask task, Func<Guid, CancellationToken, Task<KeySetResponse>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(fetch);
        if ((_verified.GetValueOrDefault(task.KeySetId) ?? VerifiedKeySet.Find(folder, task.KeySetId)) is { } known)
        {
            _verified[known.KeySetId] = known;
            Require(known.Parameters == task.Parameters && known.CommonSeed == task.CommonSeed,
                $"the task names key set {task.KeySetId} with other parameters or another seed than this node verified.");
            return known;
        }
        var keySet = await fetch(task.KeySetId, cancellationToken);
        return Verify(keySet, task);
    }

    /// <summary>Checks the platform's roster of a key set and records it (see the class summary).</summary>
    private VerifiedKeySet Verify(KeySetResponse keySet, NodeTask task)
    {
        Require(keySet.Id == task.KeySetId && keySet.Parameters == task.Parameters && keySet.CommonSeed == task.CommonSeed,
            $"the platform's key set {keySet.Id} does not match the task's (id, parameters or seed).");
        var threshold = ThresholdOf(keySet);
        var members = keySet.Members ?? [];
        var isThreshold = threshold < members.Count;
        Require((keySet.Status is "Ready" || (isThreshold && keySet.Status is "Sharing")) && keySet.CollectivePublicKey is not null, $"key set {keySet.Id} is not ready yet.");
        var ids = members.Select(m => m.NodeId).ToList();
        Require(ids.Count >= 2 && ids.Distinct().Count() == ids.Count, $"key set {keySet.Id} lists {ids.Count} members, some of them twice.");
        Require(ids.Contains(nodeId), $"key set {keySet.Id} does not list this node.");
        Require(members.Select(m => m.PartyIndex).SequenceEqual(Enumerable.Range(0, ids.Count)) && ids.SequenceEqual(ids.Order()),
            $"key set {keySet.Id} does not list its members in party order (by node id).");
        Require(KeyShareRecord.Find(folder, keySet.Id) is not null, $"this node made no share for key set {keySet.Id}.");
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        Require(DecryptionBounds.MaxCiphertextCount(parameters, ids.Count, threshold, SmudgingTarget.KeySetLifetime) >= ids.Count,
            $"key set {keySet.Id} uses {keySet.Parameters}, whose smudging cannot meet its target for {threshold} of {ids.Count} nodes.");
        var seed = Convert.FromBase64String(keySet.CommonSeed);
        var peers = PeerTrust.Open(folder, trustPlatformRoster);
        var shares = new List<PublicKeyGenShare>();
        var verified = new List<VerifiedMember>();
        foreach (var member in members)
        {
            var publicKey = Base64(member.PublicKey) ?? [];
            Require(IdentityKeys.IsValid(publicKey), $"member {member.NodeId} of key set {keySet.Id} has no valid identity key.");
            var fingerprint = IdentityKeys.Fingerprint(publicKey);
            if (member.NodeId == nodeId)
            {
                Require(publicKey.AsSpan().SequenceEqual(identityKey), $"key set {keySet.Id} lists another identity key ({fingerprint}) for this node.");
                Require(Base64(member.Share) is { } own && own.AsSpan().SequenceEqual(Convert.FromBase64String(KeyShareRecord.Find(folder, keySet.Id)!.Share)),
                    $"key set {keySet.Id} lists another public-key share for this node than the one it made.");
            }
            else
            {
                Require(peers.Trusts(fingerprint), $"member {member.NodeId} of key set {keySet.Id} has identity {fingerprint}, which this node does not trust (pin it with 'dragon-node peers trust').");
            }
            var share = Base64(member.Share);
            var signature = IdentityKeys.DecodeSignature(member.Signature);
            Require(share is not null && signature is not null, $"member {member.NodeId} of key set {keySet.Id} has no signed share.");
            var exchangeKey = isThreshold ? Base64(member.ExchangeKey, IdentityKeys.MaxPublicKeyBytes) : null;
            Require(!isThreshold || (exchangeKey is not null && IdentityKeys.IsValid(exchangeKey)), $"member {member.NodeId} of t-of-N key set {keySet.Id} has no valid exchange key.");
            if (isThreshold && member.NodeId == nodeId)
            {
                Require(Convert.ToBase64String(exchangeKey!) == KeyShareRecord.Find(folder, keySet.Id)!.ExchangeKey, $"key set {keySet.Id} lists another exchange key for this node than the one it made.");
            }
            var statement = isThreshold
                ? SignedStatements.ThresholdKeyShare(keySet.Id, seed, member.PartyIndex, member.NodeId, SHA256.HashData(share!), threshold, ids.Count, exchangeKey!)
                : SignedStatements.KeyShare(keySet.Id, seed, member.PartyIndex, member.NodeId, SHA256.HashData(share!));
            Require(IdentityKeys.Verify(publicKey, statement, signature), $"the share of member {member.NodeId} of key set {keySet.Id} is not signed by its identity key.");
            try
            {
                shares.Add(PublicKeyGenShare.ReadFrom(share, parameters));
            }
            catch (InvalidFormatException exception)
            {
                throw new TaskRefusedException($"Refused: the share of member {member.NodeId} of key set {keySet.Id} is malformed: {exception.Message}");
            }
            verified.Add(new VerifiedMember(member.NodeId, member.PartyIndex, Convert.ToBase64String(publicKey), fingerprint,
                exchangeKey is null ? null : Convert.ToBase64String(exchangeKey)));
        }
        var protocol = new PublicKeyGenProtocol(parameters);
        var collective = protocol.GenPublicKeyNew(protocol.AggregateSharesNew(shares), protocol.SampleCrp(seed)).ToArray();
        Require(collective.AsSpan().SequenceEqual(Base64(keySet.CollectivePublicKey) ?? []),
            $"the collective public key the platform serves for key set {keySet.Id} is not the sum of its members' signed shares.");
        var record = new VerifiedKeySet(keySet.Id, keySet.Parameters, keySet.CommonSeed, verified, Convert.ToBase64String(collective), isThreshold ? threshold : 0);
        record.Save(folder);
        _verified[record.KeySetId] = record;
        return record;
    }

    /// <summary>
    /// The threshold shares dealt to this node in a t-of-N key set it verified: exactly one from every member, each
    /// addressed to this node, of a sealed share's size, and signed by its dealer's identity key. By dealer: the sealed bytes.
    /// </summary>
    public List<(VerifiedMember Dealer, byte[] Sealed)> ReceivedShares(VerifiedKeySet keySet, IReadOnlyList<SealedThresholdShare> shares)
    {
        ArgumentNullException.ThrowIfNull(keySet);
        ArgumentNullException.ThrowIfNull(shares);
        Require(keySet.IsThreshold, $"key set {keySet.KeySetId} is N-of-N: it has no threshold shares.");
        var sealedLength = ThresholdShare.BinarySizeFor(EncryptionParameters.FromPreset(keySet.Parameters)) + ThresholdShareSeal.Overhead;
        Require(shares.Count == keySet.Members.Count && shares.Select(s => s?.DealerId).Distinct().Count() == shares.Count && shares.All(s => s is not null && keySet.Member(s.DealerId) is not null && s.RecipientId == nodeId),
            $"the platform lists {shares.Count} threshold shares for this node in key set {keySet.KeySetId}; it needs one from each of its {keySet.Members.Count} members, addressed to this node.");
        var received = new List<(VerifiedMember, byte[])>();
        foreach (var share in shares.OrderBy(s => s.DealerId))
        {
            var dealer = keySet.Member(share.DealerId)!;
            var bytes = Base64(share.Ciphertext, sealedLength);
            var signature = IdentityKeys.DecodeSignature(share.Signature);
            Require(bytes is not null && bytes.Length == sealedLength && signature is not null
                    && IdentityKeys.Verify(Convert.FromBase64String(dealer.PublicKey), SignedStatements.ThresholdShare(keySet.KeySetId, dealer.NodeId, nodeId, SHA256.HashData(bytes)), signature),
                $"the threshold share member {dealer.NodeId} dealt this node for key set {keySet.KeySetId} is malformed or not signed by its identity key.");
            received.Add((dealer, bytes!));
        }
        return received;
    }

    /// <summary>A commitment task: the manifest names this job, this key set, this node, every member and enough sites.</summary>
    public VerifiedCommitment Commitment(NodeTask task, VerifiedKeySet keySet)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(keySet);
        var (manifest, digest, policy) = Manifest(task, keySet);
        var participants = manifest.Participants;
        if (JobRecord.Find(folder, task.JobId!.Value, task.Round) is { } existing)
        {
            Require(existing.ManifestDigest == Convert.ToHexStringLower(digest), $"job {task.JobId} now has another manifest than the one this node committed under.");
            return new VerifiedCommitment(manifest, digest, participants, existing);
        }
        if (task.Round > 0)
        {
            CheckPriorRound(task, manifest, keySet);
        }
        else if (policy.DailyJobLimit is { } limit)
        {
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var started = Audit.NodeAuditLog.Open(folder).JobsStartedOn(today, except: manifest.JobId);
            Require(started < limit, $"job {manifest.JobId}: this node has started {started} jobs today (UTC); its policy allows {limit} a day (dailyJobLimit).");
        }
        return new VerifiedCommitment(manifest, digest, participants, null);
    }

    /// <summary>
    /// A reveal task: this node committed in this round, and every participant's signed commitment is in. Returns the
    /// record with those commitments, to keep before revealing: later tasks must list the same ones.
    /// </summary>
    public JobRecord Reveal(NodeTask task, VerifiedKeySet keySet)
    {
        ArgumentNullException.ThrowIfNull(task);
        var record = Committed(task, keySet);
        return record with { Commitments = Commitments(task, record, keySet) };
    }

    /// <summary>
    /// How many contributions a decryption task's job can have and how large each can be: the bounds to read them with,
    /// before <see cref="Decryption"/> checks them.
    /// </summary>
    public static (int Count, long MaxBytes) ContributionBounds(NodeTask task, VerifiedKeySet keySet)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(keySet);
        Require(task.Job is not null, "the job task carries no manifest.");
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        return (keySet.Members.Count, CiphertextVector.MaxBinarySize(parameters, keySet.Limbs(task.Job!.Aggregation.Kind).SlotsFor(task.Job.VectorLength)));
    }

    /// <summary>
    /// A decryption task: the aggregate is the sum of exactly one ciphertext per participant among
    /// <paramref name="contributions"/> (fetched from the platform), each the one its node committed to, this node's own
    /// among them, and the key set has smudging lifetime left for it.
    /// </summary>
    public VerifiedAggregate Decryption(NodeTask task, VerifiedKeySet keySet, IReadOnlyList<byte[]> contributions)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(keySet);
        ArgumentNullException.ThrowIfNull(contributions);
        var record = Committed(task, keySet);
        Require(record.Commitments is not null, $"this node has not revealed its contribution to job {task.JobId}, so there is nothing of its to decrypt.");
        var committed = Commitments(task, record, keySet);
        var contributors = committed.Keys.Order().ToList();
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        var (_, maxBytes) = ContributionBounds(task, keySet);
        var vectorLength = keySet.Limbs(task.Job!.Aggregation.Kind).SlotsFor(task.Job.VectorLength);
        Require(contributions.Count == contributors.Count,
            $"the aggregate of job {task.JobId} is said to hold {contributions.Count} contributions; the task lists {contributors.Count} contributors' commitments.");
        var subset = task.DecryptionSubset;
        if (keySet.IsThreshold)
        {
            Require(subset is not null && subset.Count == keySet.EffectiveThreshold && subset.Distinct().Count() == subset.Count && subset.SequenceEqual(subset.Order())
                    && subset.All(contributors.Contains) && subset.Contains(nodeId),
                $"the decryption subset of job {task.JobId} must be {keySet.EffectiveThreshold} distinct contributors in node order, this node among them.");
        }
        else
        {
            Require(subset is null, $"job {task.JobId} names a decryption subset, but key set {keySet.KeySetId} is N-of-N.");
        }
        var unused = committed.ToDictionary(c => c.Value, c => c.Key, StringComparer.Ordinal);
        var byNode = new Dictionary<Guid, byte[]>();
        foreach (var contribution in contributions)
        {
            Require(contribution.Length <= maxBytes, $"a contribution to job {task.JobId} is over {maxBytes} bytes.");
            var digest = Convert.ToHexStringLower(SHA256.HashData(contribution));
            Require(unused.Remove(digest, out var owner), $"a contribution to job {task.JobId} matches no participant's commitment, or one that another contribution already matched.");
            byNode[owner] = contribution;
        }
        Require(Convert.ToHexStringLower(SHA256.HashData(byNode[nodeId])) == record.CiphertextDigest, $"this node's contribution to job {task.JobId} is not the ciphertext it committed to.");
        var aggregate = Base64(task.Aggregate, maxBytes);
        Require(aggregate is not null, $"the decryption task of job {task.JobId} carries no aggregate.");
        CiphertextVector sum;
        try
        {
            sum = CiphertextVector.Sum(new Evaluator(parameters), contributors.Select(p => CiphertextVector.ReadFrom(byNode[p], parameters)));
        }
        catch (InvalidFormatException exception)
        {
            throw new TaskRefusedException($"Refused: a contribution to job {task.JobId} is malformed: {exception.Message}");
        }
        Require(sum.Length == vectorLength && sum.ToArray().AsSpan().SequenceEqual(aggregate), $"the aggregate of job {task.JobId} is not the sum of its participants' committed contributions.");
        var parts = sum.Parts.Count;
        if (record.Share is not null)
        {
            Require(record.AggregateDigest == Convert.ToHexStringLower(SHA256.HashData(aggregate!)), $"this node already gave its decryption share for job {task.JobId}, for another aggregate.");
        }
        if (record.Share is null || !SameSubset(record.ShareSubset, subset))
        {
            var decrypted = keySet.DecryptedParts(folder);
            Require(decrypted + parts <= SmudgingTarget.KeySetLifetime.MaxDecryptedParts,
                $"key set {keySet.KeySetId} has decrypted {decrypted} of the {SmudgingTarget.KeySetLifetime.MaxDecryptedParts} ciphertext parts its smudging allows: it is retired.");
        }
        return new VerifiedAggregate(record, aggregate!, parts, contributors, subset);
    }

    /// <summary>Whether a share made for one subset serves another: the same nodes, or both N-of-N.</summary>
    public static bool SameSubset(IReadOnlyList<Guid>? made, IReadOnlyList<Guid>? asked) =>
        made is null ? asked is null : asked is not null && made.SequenceEqual(asked);

    /// <summary>The task's manifest, checked against the task, the verified key set and this node's policy, with its digest and that policy.</summary>
    private (JobTaskSpec Manifest, byte[] Digest, NodePolicy Policy) Manifest(NodeTask task, VerifiedKeySet keySet)
    {
        Require(task.JobId is not null && task.Job is not null, "the job task carries no job or no manifest.");
        var manifest = task.Job!;
        Require(manifest.JobId == task.JobId && manifest.KeySetId == task.KeySetId && task.KeySetId == keySet.KeySetId,
            $"the manifest of job {task.JobId} names another job or key set than its task.");
        Require(task.Parameters == keySet.Parameters, $"job {task.JobId} names other parameters than key set {keySet.KeySetId}.");
        var participants = manifest.Participants ?? [];
        Require(participants.Distinct().Count() == participants.Count && participants.SequenceEqual(participants.Order()) && manifest.ParticipantCount == participants.Count,
            $"the participants of job {task.JobId} are not a list of distinct nodes in node order matching its participant count.");
        Require(participants.Contains(nodeId), $"job {task.JobId} does not list this node as a participant.");
        Require(participants.All(p => keySet.Member(p) is not null), $"job {task.JobId} lists a participant that is not a member of key set {keySet.KeySetId}.");
        var policy = NodePolicy.Read(folder);
        if (policy.Refusal(manifest) is { } refusal)
        {
            Require(false, refusal);
        }
        if (keySet.IsThreshold)
        {
            var least = manifest.MinContributors;
            Require(least is { } m && m >= keySet.EffectiveThreshold && m >= policy.MinSites && m <= participants.Count,
                $"job {task.JobId} may go on with {least?.ToString(CultureInfo.InvariantCulture) ?? "any number of"} of its {participants.Count} participants; under {keySet.EffectiveThreshold}-of-{keySet.Members.Count} key set {keySet.KeySetId} " +
                $"this node requires at least the threshold and its policy's {policy.MinSites} sites (minSites).");
            Require(least == participants.Count || manifest.Privacy?.Mode != ReleaseModes.Exact || policy.AllowExactLeaveOut,
                $"job {task.JobId} is released exactly and may go on without some of its participants; this node's policy does not allow that (allowExactLeaveOut).");
        }
        else
        {
            Require(participants.Count == keySet.Members.Count && manifest.MinContributors is null,
                $"job {task.JobId} has {participants.Count} participants; every one of the {keySet.Members.Count} members of key set {keySet.KeySetId} must take part to decrypt.");
        }
        Require(participants.Count >= policy.MinSites, $"job {task.JobId} has {participants.Count} participating sites; this node's policy requires at least {policy.MinSites} (minSites).");
        Require(FilterLimits.Within(manifest.Filter) && (manifest.Privacy?.Checks?.Prior ?? []).All(p => FilterLimits.Within(p?.Filter)),
            $"job {task.JobId} filters with more than {FilterLimits.MaxConditions} conditions or an in list of more than {FilterLimits.MaxInValues} values.");
        CheckRelease(manifest, policy);
        CheckRound(task, manifest);
        return (manifest, JobManifests.Digest(manifest), policy);
    }

    /// <summary>
    /// The task's round is one its job has: round 0 of any kind, or a round of a model within its iterations, with one
    /// finite coefficient per parameter (all 0 in round 0). That the coefficients follow from the previous round is
    /// checked when the round is first committed to (<see cref="CheckPriorRound"/>).
    /// </summary>
    private static void CheckRound(NodeTask task, JobTaskSpec manifest)
    {
        if (manifest.Aggregation.Kind != "glm")
        {
            Require(task.Round == 0 && manifest.Model is null, $"job {task.JobId} asks for round {task.Round}; only a model has more than one round.");
            return;
        }
        var most = Math.Min(manifest.Aggregation.MaxIterations ?? GlmIteration.DefaultMaxIterations, GlmIteration.MostIterations);
        Require(manifest.Variables is not null && LayoutOf(manifest.Aggregation, JobManifests.VariablesOf(manifest)) is not null,
            $"model job {task.JobId} has no valid model over the variables its manifest lists.");
        var parameters = GlmLocalVector.DesignOf(manifest).Parameters;
        var progress = manifest.Model;
        Require(progress is not null && progress.Round == task.Round && task.Round >= 0 && task.Round < most
                && progress.Coefficients.Count == parameters && progress.Coefficients.All(double.IsFinite) && double.IsFinite(progress.NullCoefficient),
            $"round {task.Round} of model job {task.JobId} is not one of its {most} rounds with {parameters} finite coefficients.");
        Require(task.Round > 0 || (progress!.Coefficients.All(b => b == 0) && progress.NullCoefficient == 0), $"round 0 of model job {task.JobId} does not start from coefficients 0.");
        Require(task.Round == 0 || manifest.MinContributors is null || manifest.MinContributors == manifest.ParticipantCount,
            $"round {task.Round} of model job {task.JobId} may go on without some of its participants; after round 0 every contributor must stay, or two rounds would tell one node's sums apart.");
    }

    /// <summary>
    /// Before committing to round k of a model: round k-1 is one this node took part in; the task carries its aggregate
    /// (the one this node decrypted, if it did) and enough decryption shares, each signed by its node for that aggregate;
    /// combined, they decrypt to sums whose scoring step from round k-1's coefficients (as this node kept them) is the
    /// coefficients round k asks for; and the
    /// participants are round k-1's contributors. So the platform cannot pick coefficients that weigh one record alone.
    /// </summary>
    private void CheckPriorRound(NodeTask task, JobTaskSpec manifest, VerifiedKeySet keySet)
    {
        var round = task.Round - 1;
        var prior = JobRecord.Find(folder, manifest.JobId, round);
        Require(prior?.Commitments is not null && prior.Model is not null, $"this node did not take part in round {round} of model job {manifest.JobId}, so it cannot check round {task.Round}.");
        var contributors = prior!.Contributors ?? [.. prior.Commitments!.Keys.Order()];
        Require(prior.Contributors is null ? manifest.Participants.All(contributors.Contains) : manifest.Participants.SequenceEqual(contributors),
            $"round {task.Round} of model job {manifest.JobId} has other participants than round {round}'s contributors.");
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        var limbs = keySet.Limbs(manifest.Aggregation.Kind);
        var evidence = task.PriorRound;
        var aggregate = Base64(evidence?.Aggregate, CiphertextVector.MaxBinarySize(parameters, limbs.SlotsFor(manifest.VectorLength)));
        Require(aggregate is not null, $"round {task.Round} of model job {manifest.JobId} comes without round {round}'s aggregate.");
        var aggregateDigest = SHA256.HashData(aggregate!);
        Require(prior.AggregateDigest is null || prior.AggregateDigest == Convert.ToHexStringLower(aggregateDigest),
            $"the aggregate of round {round} of model job {manifest.JobId} is not the one this node decrypted.");
        var shares = evidence!.Shares ?? [];
        var signers = shares.Select(s => s?.NodeId ?? Guid.Empty).ToList();
        Require(signers.Count == keySet.EffectiveThreshold && signers.Distinct().Count() == signers.Count && signers.All(contributors.Contains),
            $"round {round} of model job {manifest.JobId} comes with shares of {signers.Count} nodes; it needs one from each of {keySet.EffectiveThreshold} of its contributors.");
        IReadOnlyList<Guid>? subset = keySet.IsThreshold ? [.. signers.Order()] : null;
        long[] numbers;
        try
        {
            var ciphertext = CiphertextVector.ReadFrom(aggregate, parameters);
            var protocol = keySet.IsThreshold
                ? new DecryptionShareProtocol(parameters, keySet.Members.Count, keySet.EffectiveThreshold, contributors.Count, SmudgingTarget.KeySetLifetime)
                : new DecryptionShareProtocol(parameters, partyCount: keySet.Members.Count, ciphertextCount: contributors.Count);
            var decoded = new List<DecryptionShare>();
            foreach (var share in shares.OrderBy(s => s.NodeId))
            {
                var bytes = Base64(share.Share, DecryptionShare.BinarySizeFor(parameters, ciphertext.Parts.Count));
                var signature = IdentityKeys.DecodeSignature(share.Signature);
                Require(bytes is not null && signature is not null && IdentityKeys.Verify(Convert.FromBase64String(keySet.Member(share.NodeId)!.PublicKey),
                        SignedStatements.DecryptionShare(manifest.JobId, round, keySet.KeySetId, share.NodeId, aggregateDigest, SHA256.HashData(bytes!), subset), signature!),
                    $"the decryption share of node {share.NodeId} for round {round} of model job {manifest.JobId} is not signed by its identity key for that aggregate.");
                decoded.Add(DecryptionShare.ReadFrom(bytes, parameters));
            }
            numbers = limbs.Decode(protocol.Decrypt(ciphertext, protocol.AggregateSharesNew(decoded), new IntegerEncoder(parameters)));
        }
        catch (Exception exception) when (exception is InvalidFormatException or DecryptionVerificationException or ArgumentException or OverflowException)
        {
            throw new TaskRefusedException($"Refused: round {round} of model job {manifest.JobId} does not decrypt with the shares it comes with: {exception.Message}");
        }
        var design = GlmLocalVector.DesignOf(manifest);
        var next = GlmSums.Read(GlmLayout.For(design), numbers).Next(prior.Model!);
        static bool Close(double expected, double asked) => Math.Abs(expected - asked) <= 1e-9 * Math.Max(1, Math.Abs(expected));
        Require(next is { } n && n.Coefficients.Zip(manifest.Model!.Coefficients).All(pair => Close(pair.First, pair.Second)) && Close(n.NullCoefficient, manifest.Model.NullCoefficient),
            $"the coefficients round {task.Round} of model job {manifest.JobId} asks for are not the least-squares solution of round {round}'s sums.");
    }

    /// <summary>
    /// The release mode is one this node's policy allows, and the vector is the one this node lays out itself from the
    /// query and the variables: a differentially private job's noise is calibrated from the same manifest, so a
    /// platform that shrank the noise would have to change what every node signs.
    /// </summary>
    private static void CheckRelease(JobTaskSpec manifest, NodePolicy policy)
    {
        var privacy = manifest.Privacy ?? new JobPrivacy(ReleaseModes.Exact, 0);
        Require(ReleaseModes.IsKnown(privacy.Mode), $"job {manifest.JobId} asks for release mode '{privacy.Mode}'; this node knows dp and exact.");
        if (privacy.Mode == ReleaseModes.Exact)
        {
            Require(policy.AllowExactRelease, $"job {manifest.JobId} is released exactly; this node's policy allows differentially private releases only (allowExactRelease).");
        }
        else
        {
            Require(privacy.Checks is null, $"job {manifest.JobId} is differentially private but asks for exact checks, which would decrypt exact counts.");
            // Every round of a model is a release of its own: the job spends rho on each of its rounds.
            var rounds = NoiseCalibration.Releases(manifest.Aggregation);
            var spent = privacy.Rho * rounds;
            Require(double.IsFinite(privacy.Rho) && privacy.Rho > 0 && spent <= policy.MaxRhoPerJob * (1 + 1e-12),
                $"job {manifest.JobId} spends rho {spent.ToString(CultureInfo.InvariantCulture)}{(rounds > 1 ? $" ({rounds} rounds of {privacy.Rho.ToString(CultureInfo.InvariantCulture)})" : "")}; this node's policy allows at most {policy.MaxRhoPerJob.ToString(CultureInfo.InvariantCulture)} per job (maxRhoPerJob).");
            Require(manifest.Variables is not null, $"job {manifest.JobId} is differentially private but its manifest lists no variables to calibrate the noise to.");
        }
        if (manifest.Variables is null)
        {
            return;
        }
        var variables = JobManifests.VariablesOf(manifest);
        if (privacy.Checks is { } checks)
        {
            CheckExactChecks(manifest, checks, variables);
        }
        Require(LayoutOf(manifest.Aggregation, variables) is { } layout
                && ExactCheckSlots.For(manifest.Aggregation, layout.Length, privacy.Checks).Length == manifest.VectorLength && layout.DecimalPlaces == manifest.DecimalPlaces,
            $"the vector of job {manifest.JobId} ({manifest.VectorLength} numbers, {manifest.DecimalPlaces} decimal places) is not the layout of its query and its checks.");
        if (privacy.Mode == ReleaseModes.Dp)
        {
            Require(Noise(manifest) is not null, $"job {manifest.JobId} is a differentially private {manifest.Aggregation.Kind} this node cannot calibrate noise to (a variable without declared bounds, or a model without a canonical link).");
        }
    }

    /// <summary>
    /// An exact job's checks are bounded and evaluable here: each prior selection is over cohorts of this job (so this
    /// job's nodes hold all its records) and filters on the job's variables. The node cannot tell whether the platform
    /// listed every prior job; that list is the platform's word.
    /// </summary>
    private static void CheckExactChecks(JobTaskSpec manifest, ExactChecks checks, Dictionary<string, LayoutVariable> variables)
    {
        var prior = checks.Prior;
        Require(prior is not null, $"the exact checks of job {manifest.JobId} list no prior selections.");
        Require(prior!.Count <= ExactChecks.MaxPrior && checks.DominanceTop is >= 0 and <= ExactChecks.MaxDominanceTop,
            $"job {manifest.JobId} asks for {prior.Count} prior selections and the top {checks.DominanceTop} values; this node computes at most {ExactChecks.MaxPrior} and {ExactChecks.MaxDominanceTop}.");
        foreach (var selection in prior)
        {
            Require(selection is { Purpose: not null, CohortIds: not null, Filter: not null, Aggregation: not null }
                    && selection.CohortIds.All(manifest.CohortIds.Contains)
                    && selection.Filter.All(f => f is not null && f.Variable is not null && variables.ContainsKey(f.Variable))
                    && LayoutOf(selection.Aggregation, variables) is not null,
                $"a prior selection of job {manifest.JobId} is over other cohorts, filters on a variable the job does not have, or has no valid query.");
        }
    }

    /// <summary>The variance of this node's noise per number of a differentially private job's vector; null for an exact job or one that cannot be calibrated.</summary>
    public static double[]? Noise(JobTaskSpec manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Privacy is not { Mode: ReleaseModes.Dp } privacy || manifest.Variables is null)
        {
            return null;
        }
        try
        {
            return NoiseCalibration.NodeVariances(manifest.Aggregation, JobManifests.VariablesOf(manifest),
                privacy.Rho, manifest.MinContributors ?? manifest.ParticipantCount, manifest.Model);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static AggregationLayout? LayoutOf(AggregationSpec spec, Dictionary<string, LayoutVariable> variables)
    {
        try
        {
            return AggregationLayout.For(spec, variables);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>This node's record of the task's round, for the same manifest.</summary>
    private JobRecord Committed(NodeTask task, VerifiedKeySet keySet)
    {
        var (_, digest, _) = Manifest(task, keySet);
        var record = JobRecord.Find(folder, task.JobId!.Value, task.Round);
        Require(record is not null, $"this node made no commitment to job {task.JobId}.");
        Require(record!.ManifestDigest == Convert.ToHexStringLower(digest) && record.KeySetId == keySet.KeySetId,
            $"job {task.JobId} now has another manifest than the one this node committed under.");
        return record;
    }

    /// <summary>
    /// The commitments of the participants the step goes on with, exactly one each, signed by its identity key for this
    /// manifest; this node's own is the one it made. Under a t-of-N key set at least the manifest's fewest contributors,
    /// otherwise every participant. Each must be the one this node saw when it revealed. By node: the committed digest.
    /// </summary>
    private Dictionary<Guid, string> Commitments(NodeTask task, JobRecord record, VerifiedKeySet keySet)
    {
        var commitments = task.Commitments ?? [];
        Require(commitments.All(c => c is not null), $"job {task.JobId} lists an empty commitment.");
        var ids = commitments.Select(c => c.NodeId).ToList();
        var required = keySet.IsThreshold ? task.Job!.MinContributors ?? record.Participants.Count : record.Participants.Count;
        Require(ids.Count >= required && ids.Distinct().Count() == ids.Count && ids.All(record.Participants.Contains) && ids.Contains(nodeId),
            $"job {task.JobId} lists commitments of {commitments.Count} nodes; it needs one from each of at least {required} of its {record.Participants.Count} participants, this node among them.");
        var manifestDigest = Convert.FromHexString(record.ManifestDigest);
        var digests = new Dictionary<Guid, string>();
        foreach (var commitment in commitments)
        {
            var digest = commitment.Digest is { Length: 64 } hex && hex.All(Uri.IsHexDigit) ? Convert.FromHexString(hex) : null;
            var signature = IdentityKeys.DecodeSignature(commitment.Signature);
            Require(digest is not null && signature is not null, $"the commitment of node {commitment.NodeId} to job {task.JobId} is malformed.");
            var statement = SignedStatements.Commitment(record.JobId, record.Round, record.KeySetId, commitment.NodeId, manifestDigest, digest!);
            Require(IdentityKeys.Verify(Convert.FromBase64String(keySet.Member(commitment.NodeId)!.PublicKey), statement, signature),
                $"the commitment of node {commitment.NodeId} to job {task.JobId} is not signed by its identity key for this job's manifest.");
            digests[commitment.NodeId] = Convert.ToHexStringLower(digest!);
        }
        Require(digests[nodeId] == record.CiphertextDigest, $"the commitment listed for this node in job {task.JobId} is not the one it made.");
        Require(digests.Values.Distinct(StringComparer.Ordinal).Count() == digests.Count, $"two participants of job {task.JobId} committed to the same ciphertext.");
        Require(record.Commitments is null || digests.All(d => record.Commitments.GetValueOrDefault(d.Key) == d.Value),
            $"job {task.JobId} lists other commitments than the ones this node saw before it revealed its contribution (a participant committed anew).");
        return digests;
    }

    private static void Require(bool condition, string refusal)
    {
        if (!condition)
        {
            throw new TaskRefusedException("Refused: " + refusal);
        }
    }

    /// <summary>Base64 the platform sent; roster entries are at most a share of the largest preset.</summary>
    private static byte[]? Base64(string? text, long maxBytes = 64L * 1024 * 1024) => BoundedBase64.Decode(text, maxBytes);
}
