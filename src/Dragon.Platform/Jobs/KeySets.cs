using System.Security.Cryptography;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Nodes;
using Dragon.Homomorphic;
using Dragon.Platform.Audit;
using Dragon.Platform.Common;
using Dragon.Platform.Nodes;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Jobs;

/// <summary>
/// The key ceremony (DESIGN.md, step 1): the platform publishes a seed, each node uploads its public-key share signed
/// with its identity key, and once all are in the platform sums them into the collective public key. It publishes the
/// roster and every signed share, so each node recomputes the key itself instead of believing the platform. Shares are
/// untrusted input: parsed, checked against the parameters and the signature before use. A t-of-N key set adds a step
/// (<see cref="KeySetStatus.Sharing"/>): every member deals Shamir shares of its secret to every member, each sealed to
/// its recipient's exchange key (<see cref="ThresholdShareSeal"/>) and signed, and the platform only relays them.
/// </summary>
public sealed class KeySets(DragonDbContext db, AuditTrail audit, TimeProvider time, JobOptions options, Access.DisclosurePolicy disclosure)
{
    public const int MinNodes = 2;
    /// <summary>The largest consortium whose noise budget crypto.md works out (smudging grows with the number of shares).</summary>
    public const int MaxNodes = 32;

    /// <summary>The largest body a dealer's threshold shares may take, as JSON with base64: bounds memory per upload.</summary>
    public const long MaxThresholdSharesBodyBytes = 48 * 1024 * 1024;

    /// <summary>The size of a dealer's upload of <paramref name="members"/> sealed threshold shares for a preset (base64 and JSON around each).</summary>
    public static long ThresholdSharesBodyBytes(string preset, int members) =>
        members * ((ThresholdShare.BinarySizeFor(EncryptionParameters.FromPreset(preset)) + ThresholdShareSeal.Overhead + 2L) / 3 * 4 + 400);

    public static IReadOnlyList<string> Presets { get; } = [.. ParameterPresets.Names.Where(name => !ParameterPresets.IsInsecure(name))];

    /// <summary>The presets whose smudging meets the key-set target for <paramref name="nodes"/> parties, any <paramref name="threshold"/> of whom decrypt (all when absent).</summary>
    public static IReadOnlyList<string> PresetsFor(int nodes, int? threshold = null)
    {
        var n = Math.Max(nodes, 1);
        var t = Math.Clamp(threshold ?? n, 1, n);
        return [.. Presets.Where(name => DecryptionBounds.MaxCiphertextCount(EncryptionParameters.FromPreset(name), n, t, SmudgingTarget.KeySetLifetime) >= n)];
    }

    /// <summary>How many ciphertext parts a key set may decrypt: the smudging's lifetime, or less when configured so.</summary>
    public long MaxDecryptedParts => Math.Min(options.MaxDecryptedPartsPerKeySet, SmudgingTarget.KeySetLifetime.MaxDecryptedParts);

    public async Task<Result<KeySetResponse>> CreateAsync(KeySetRequest request, Guid createdBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var nodeIds = request.NodeIds?.Distinct().ToList() ?? [];
        if (nodeIds.Count is < MinNodes or > MaxNodes || nodeIds.Count != request.NodeIds!.Count)
        {
            errors.Add("nodeIds", $"nodeIds must list {MinNodes} to {MaxNodes} different nodes.");
        }
        var active = await db.Nodes.Where(n => nodeIds.Contains(n.Id) && n.Status == NodeStatus.Active)
            .Select(n => new { n.Id, n.Name, HasKey = n.IdentityKey != null }).ToListAsync(cancellationToken);
        foreach (var inactive in nodeIds.Except(active.Select(n => n.Id)))
        {
            errors.Add("nodeIds", $"Node {inactive} does not exist or is not active.");
        }
        foreach (var keyless in active.Where(n => !n.HasKey))
        {
            errors.Add("nodeIds", $"Node {keyless.Name} registered no identity key (it enrolled with an older agent): it must enroll again before it can join a key set.");
        }
        var threshold = request.Threshold ?? nodeIds.Count;
        var minThreshold = Math.Max(2, disclosure.MinThreshold);
        if (threshold > nodeIds.Count || threshold < 2 || (threshold < nodeIds.Count && threshold < minThreshold))
        {
            errors.Add("threshold", $"threshold must be the number of nodes ({nodeIds.Count}, the default) or {minThreshold} (the policy's minThreshold) to {nodeIds.Count}.");
        }
        else if (request.Parameters is null || !Presets.Contains(request.Parameters))
        {
            errors.Add("parameters", $"parameters must be one of {string.Join(", ", Presets)}.");
        }
        else if (threshold < nodeIds.Count && ThresholdSharesBodyBytes(request.Parameters, nodeIds.Count) > MaxThresholdSharesBodyBytes)
        {
            errors.Add("parameters", $"{request.Parameters} makes threshold shares too large for {nodeIds.Count} members to deal in one upload " +
                $"({ThresholdSharesBodyBytes(request.Parameters, nodeIds.Count) / (1024 * 1024)} MiB, at most {MaxThresholdSharesBodyBytes / (1024 * 1024)}); use a smaller preset or fewer members.");
        }
        else if (!PresetsFor(nodeIds.Count, threshold).Contains(request.Parameters))
        {
            errors.Add("parameters", $"{request.Parameters} cannot smudge decryption shares of {threshold} of {nodeIds.Count} nodes to the key-set target " +
                $"(statistical distance 2^-{SmudgingTarget.KeySetLifetime.DistanceBits} over {SmudgingTarget.KeySetLifetime.MaxDecryptedParts} decrypted parts); " +
                $"use one of {string.Join(", ", PresetsFor(nodeIds.Count, threshold))}.");
        }
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        var keySet = new KeySet
        {
            Id = Guid.NewGuid(),
            Parameters = request.Parameters!,
            CommonSeed = RandomNumberGenerator.GetBytes(32),
            Status = KeySetStatus.Pending,
            CreatedAt = Clock.UtcNow(time),
            CreatedBy = createdBy,
            Threshold = threshold,
        };
        keySet.Members.AddRange(nodeIds.Select(id => new KeySetMember { KeySetId = keySet.Id, NodeId = id }));
        db.KeySets.Add(keySet);
        await audit.SaveChangesAsync(new AuditEntry(AuditActor.User(createdBy), AuditAction.KeySet_Created, "KeySet", keySet.Id.ToString(),
            new Dictionary<string, string?> { ["parameters"] = keySet.Parameters, ["nodes"] = string.Join(",", nodeIds), ["threshold"] = threshold.ToString(System.Globalization.CultureInfo.InvariantCulture) }), cancellationToken);
        return await ToResponseAsync(keySet, cancellationToken);
    }

    /// <summary>
    /// A key set as its readers see it: an Admin or Auditor (<paramref name="readsAll"/>), one of its member nodes, the
    /// steward who made it or a steward of a cohort one of its members publishes, and a researcher holding an agreement
    /// over such a cohort (who submits jobs under it). Anyone else gets 404.
    /// </summary>
    public async Task<Result<KeySetResponse>> GetAsync(Guid id, Guid userId, bool readsAll, CancellationToken cancellationToken)
    {
        var keySet = await KeySetsWithMembers().AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        return keySet is null || !(readsAll || await MayReadAsync(keySet, userId, cancellationToken))
            ? KeySetErrors.NotFound(id)
            : await ToResponseAsync(keySet, cancellationToken);
    }

    /// <summary>The key set as the caller of an operation on it (a member, the steward retiring it) gets it back.</summary>
    private async Task<Result<KeySetResponse>> ReadAsync(Guid id, CancellationToken cancellationToken)
    {
        var keySet = await KeySetsWithMembers().AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        return keySet is null ? KeySetErrors.NotFound(id) : await ToResponseAsync(keySet, cancellationToken);
    }

    private async Task<bool> MayReadAsync(KeySet keySet, Guid userId, CancellationToken cancellationToken)
    {
        if (keySet.CreatedBy == userId || keySet.Members.Any(m => m.NodeId == userId))
        {
            return true;
        }
        var members = keySet.Members.Select(m => m.NodeId).ToList();
        var cohorts = await db.Cohorts.Where(c => c.NodeId != null && members.Contains(c.NodeId.Value)).Select(c => c.Id).ToListAsync(cancellationToken);
        return await db.CohortStewards.AnyAsync(s => s.UserId == userId && cohorts.Contains(s.CohortId), cancellationToken)
            || await db.Agreements.AnyAsync(a => a.ResearcherId == userId && a.CohortIds.Any(c => cohorts.Contains(c)), cancellationToken);
    }

    /// <summary>
    /// Stores a member node's share once, with its signature checked against the node's identity key (the same bytes
    /// again are accepted and change nothing); the last share makes the collective key. A node outside the set gets 404.
    /// </summary>
    public async Task<Result<KeySetResponse>> UploadShareAsync(Guid id, Guid nodeId, KeyShareUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var keySet = await KeySetsWithMembers().AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        var member = keySet?.Members.SingleOrDefault(m => m.NodeId == nodeId);
        if (keySet is null || member is null)
        {
            return KeySetErrors.NotFound(id);
        }
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(upload.Share ?? "");
            if (PublicKeyGenShare.ReadFrom(bytes, parameters).PartyCount != 1)
            {
                return KeySetErrors.InvalidShare("it must be this node's own share, not a sum of several.");
            }
        }
        catch (Exception exception) when (exception is FormatException or InvalidFormatException)
        {
            return KeySetErrors.InvalidShare(exception is FormatException ? "it is not base64." : exception.Message);
        }
        byte[]? exchangeKey = null;
        if (keySet.IsThreshold)
        {
            exchangeKey = BoundedBase64.Decode(upload.ExchangeKey, IdentityKeys.MaxPublicKeyBytes);
            if (exchangeKey is null || !IdentityKeys.IsValid(exchangeKey))
            {
                return DomainError.Invalid(new Dictionary<string, string[]> { ["exchangeKey"] = ["exchangeKey is required for a t-of-N key set: base64 of a P-256 SubjectPublicKeyInfo."] });
            }
        }
        var signature = IdentityKeys.DecodeSignature(upload.Signature);
        var identityKey = await db.Nodes.Where(n => n.Id == nodeId).Select(n => n.IdentityKey).SingleAsync(cancellationToken);
        var statement = ShareStatement(keySet, nodeId, SHA256.HashData(bytes), exchangeKey);
        if (signature is null || identityKey is null || !IdentityKeys.Verify(identityKey, statement, signature))
        {
            return KeySetErrors.InvalidSignature();
        }
        if (member.Share is not null)
        {
            return member.Share.AsSpan().SequenceEqual(bytes) ? await ToResponseAsync(keySet, cancellationToken) : KeySetErrors.ShareAlreadyUploaded();
        }
        // Filled only while empty: of two different concurrent uploads one wins, and the collective key is made
        // from shares nobody can replace afterwards.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var now = Clock.UtcNow(time);
            var filled = await db.KeySetMembers.Where(m => m.KeySetId == id && m.NodeId == nodeId && m.Share == null)
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.Share, bytes).SetProperty(m => m.ShareSignature, signature).SetProperty(m => m.UploadedAt, now)
                    .SetProperty(m => m.ExchangeKey, exchangeKey), cancellationToken);
            if (filled == 0)
            {
                var stored = await db.KeySetMembers.Where(m => m.KeySetId == id && m.NodeId == nodeId).Select(m => m.Share).SingleAsync(cancellationToken);
                return stored.AsSpan().SequenceEqual(bytes) ? await ReadAsync(id, cancellationToken) : KeySetErrors.ShareAlreadyUploaded();
            }
            await audit.SaveChangesAsync(new AuditEntry(AuditActor.Node(nodeId), AuditAction.KeySet_ShareUploaded, "KeySet", id.ToString(),
                new Dictionary<string, string?> { ["shareSha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)) }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await CompleteWhenAllSharesAreInAsync(id, parameters, cancellationToken);
        return await ReadAsync(id, cancellationToken);
    }

    /// <summary>What a member signs over its public-key share: with the threshold and its exchange key in a t-of-N key set.</summary>
    public static byte[] ShareStatement(KeySet keySet, Guid nodeId, byte[] shareDigest, byte[]? exchangeKey)
    {
        ArgumentNullException.ThrowIfNull(keySet);
        var party = PartyIndex(keySet, nodeId);
        return keySet.IsThreshold
            ? SignedStatements.ThresholdKeyShare(keySet.Id, keySet.CommonSeed, party, nodeId, shareDigest, keySet.EffectiveThreshold, keySet.Members.Count, exchangeKey ?? [])
            : SignedStatements.KeyShare(keySet.Id, keySet.CommonSeed, party, nodeId, shareDigest);
    }

    /// <summary>
    /// Stores a member's dealt threshold shares once: exactly one for every member, each of the size a sealed share of
    /// the key set's parameters has and signed by the dealer. The last dealer makes the key set ready. The platform
    /// cannot open them; a share sealed wrongly is found by its recipient, which then refuses the key set.
    /// </summary>
    public async Task<Result<KeySetResponse>> UploadThresholdSharesAsync(Guid id, Guid dealerId, ThresholdSharesUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var keySet = await KeySetsWithMembers().AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        var dealer = keySet?.Members.SingleOrDefault(m => m.NodeId == dealerId);
        if (keySet is null || dealer is null)
        {
            return KeySetErrors.NotFound(id);
        }
        if (!keySet.IsThreshold || (keySet.Status != KeySetStatus.Sharing && dealer.DealtAt is null))
        {
            return KeySetErrors.NotSharing(id, keySet.IsThreshold ? keySet.Status.ToString() : "N-of-N");
        }
        var sealedLength = ThresholdShare.BinarySizeFor(EncryptionParameters.FromPreset(keySet.Parameters)) + ThresholdShareSeal.Overhead;
        var shares = upload.Shares ?? [];
        var members = keySet.Members.Select(m => m.NodeId).ToHashSet();
        if (shares.Count != members.Count || shares.Any(s => s is null || s.DealerId != dealerId) || !shares.Select(s => s.RecipientId).ToHashSet().SetEquals(members))
        {
            return KeySetErrors.InvalidThresholdShares($"shares must hold one share from this node for each of the {members.Count} members, its own included.");
        }
        var identityKey = await db.Nodes.Where(n => n.Id == dealerId).Select(n => n.IdentityKey).SingleAsync(cancellationToken);
        var rows = new List<KeySetThresholdShare>();
        foreach (var share in shares)
        {
            var ciphertext = BoundedBase64.Decode(share.Ciphertext, sealedLength);
            var signature = IdentityKeys.DecodeSignature(share.Signature);
            if (ciphertext is null || ciphertext.Length != sealedLength)
            {
                return KeySetErrors.InvalidThresholdShares($"the share for {share.RecipientId} must be base64 of a sealed threshold share: {sealedLength} bytes for {keySet.Parameters}.");
            }
            if (signature is null || identityKey is null
                || !IdentityKeys.Verify(identityKey, SignedStatements.ThresholdShare(id, dealerId, share.RecipientId, SHA256.HashData(ciphertext)), signature))
            {
                return KeySetErrors.InvalidThresholdShares($"the share for {share.RecipientId} is not signed by this node's identity key over its threshold share statement.");
            }
            rows.Add(new KeySetThresholdShare { KeySetId = id, DealerId = dealerId, RecipientId = share.RecipientId, Ciphertext = ciphertext, Signature = signature });
        }
        if (dealer.DealtAt is not null)
        {
            var stored = await db.KeySetThresholdShares.AsNoTracking().Where(s => s.KeySetId == id && s.DealerId == dealerId).ToDictionaryAsync(s => s.RecipientId, s => s.Ciphertext, cancellationToken);
            return rows.All(r => stored.GetValueOrDefault(r.RecipientId) is { } same && same.AsSpan().SequenceEqual(r.Ciphertext))
                ? await ToResponseAsync(keySet, cancellationToken)
                : KeySetErrors.ShareAlreadyUploaded();
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var now = Clock.UtcNow(time);
            var marked = await db.KeySetMembers.Where(m => m.KeySetId == id && m.NodeId == dealerId && m.DealtAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.DealtAt, now), cancellationToken);
            if (marked == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await UploadThresholdSharesAsync(id, dealerId, upload, cancellationToken);
            }
            db.KeySetThresholdShares.AddRange(rows);
            await audit.SaveChangesAsync(new AuditEntry(AuditActor.Node(dealerId), AuditAction.KeySet_ThresholdSharesDealt, "KeySet", id.ToString(),
                new Dictionary<string, string?> { ["recipients"] = rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await ReadyWhenAllHaveDealtAsync(id, cancellationToken);
        return await ReadAsync(id, cancellationToken);
    }

    /// <summary>
    /// Retires a key set by hand (a member leaves, a new one joins, a member's state folder is suspected lost): no job
    /// can be submitted under it any more; jobs already submitted finish under it. Its replacement is a new key set over
    /// the new members. Retiring a retired key set changes nothing.
    /// </summary>
    public async Task<Result<KeySetResponse>> RetireAsync(Guid id, Guid userId, string? reason, CancellationToken cancellationToken)
    {
        if (reason is { Length: > 500 })
        {
            return DomainError.Invalid(new Dictionary<string, string[]> { ["reason"] = ["reason is at most 500 characters."] });
        }
        if (!await db.KeySets.AnyAsync(k => k.Id == id, cancellationToken))
        {
            return KeySetErrors.NotFound(id);
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (await db.KeySets.Where(k => k.Id == id && k.Status != KeySetStatus.Retired)
                    .ExecuteUpdateAsync(set => set.SetProperty(k => k.Status, KeySetStatus.Retired), cancellationToken) == 1)
            {
                await audit.SaveChangesAsync(new AuditEntry(AuditActor.User(userId), AuditAction.KeySet_Retired, "KeySet", id.ToString(),
                    new Dictionary<string, string?> { ["reason"] = string.IsNullOrWhiteSpace(reason) ? "retired by hand" : reason.Trim() }), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        return await ReadAsync(id, cancellationToken);
    }

    /// <summary>The sealed threshold shares dealt to a member so far; a node outside the set gets 404.</summary>
    public async Task<Result<List<SealedThresholdShare>>> ThresholdSharesForAsync(Guid id, Guid recipientId, CancellationToken cancellationToken)
    {
        if (!await db.KeySetMembers.AnyAsync(m => m.KeySetId == id && m.NodeId == recipientId, cancellationToken))
        {
            return KeySetErrors.NotFound(id);
        }
        var shares = await db.KeySetThresholdShares.AsNoTracking().Where(s => s.KeySetId == id && s.RecipientId == recipientId).ToListAsync(cancellationToken);
        return shares.OrderBy(s => s.DealerId).Select(s => new SealedThresholdShare(s.DealerId, s.RecipientId, Convert.ToBase64String(s.Ciphertext), Convert.ToBase64String(s.Signature))).ToList();
    }

    private async Task ReadyWhenAllHaveDealtAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await db.KeySetMembers.AnyAsync(m => m.KeySetId == id && m.DealtAt == null, cancellationToken))
        {
            return;
        }
        var now = Clock.UtcNow(time);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.KeySets.Where(k => k.Id == id && k.Status == KeySetStatus.Sharing)
                .ExecuteUpdateAsync(set => set.SetProperty(k => k.Status, KeySetStatus.Ready).SetProperty(k => k.ReadyAt, now), cancellationToken) == 0)
        {
            return;
        }
        var publicKey = await db.KeySets.Where(k => k.Id == id).Select(k => k.CollectivePublicKey).SingleAsync(cancellationToken);
        await audit.SaveChangesAsync(ReadyEvent(id, publicKey!), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static AuditEntry ReadyEvent(Guid id, byte[] publicKey) => new(AuditActor.System, AuditAction.KeySet_Ready, "KeySet", id.ToString(),
        new Dictionary<string, string?> { ["publicKeySha256"] = Convert.ToHexStringLower(SHA256.HashData(publicKey)) });

    /// <summary>
    /// Reserves <paramref name="parts"/> ciphertext parts of the key set's decryption lifetime for a job, inside the
    /// caller's transaction; the reservation that reaches the limit retires the key set. Null when the key set is not
    /// ready or has too few parts left; otherwise the audit events to save with the caller's change (the retirement, if any).
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>?> ReserveDecryptionAsync(Guid id, int parts, CancellationToken cancellationToken)
    {
        var max = MaxDecryptedParts;
        var reserved = await db.KeySets.Where(k => k.Id == id && k.Status == KeySetStatus.Ready && k.DecryptedParts + parts <= max)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.DecryptedParts, k => k.DecryptedParts + parts), cancellationToken);
        if (reserved == 0)
        {
            return null;
        }
        var retired = await db.KeySets.Where(k => k.Id == id && k.Status == KeySetStatus.Ready && k.DecryptedParts >= max)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.Status, KeySetStatus.Retired), cancellationToken);
        return retired == 0 ? [] : [new AuditEntry(AuditActor.System, AuditAction.KeySet_Retired, "KeySet", id.ToString(),
            new Dictionary<string, string?> { ["decryptedParts"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture) })];
    }

    /// <summary>
    /// Makes the collective key once every share is in (ready, or for a t-of-N key set on to sharing). Runs after the upload committed, on fresh rows, so the
    /// last of several concurrent uploads always sees them all; the conditional update lets only one finish it.
    /// </summary>
    private async Task CompleteWhenAllSharesAreInAsync(Guid id, EncryptionParameters parameters, CancellationToken cancellationToken)
    {
        var keySet = await KeySetsWithMembers().AsNoTracking().SingleAsync(k => k.Id == id, cancellationToken);
        if (keySet.Status != KeySetStatus.Pending || keySet.Members.Any(m => m.Share is null))
        {
            return;
        }
        var protocol = new PublicKeyGenProtocol(parameters);
        var aggregate = protocol.AggregateSharesNew(keySet.Members.Select(m => PublicKeyGenShare.ReadFrom(m.Share, parameters)));
        var publicKey = protocol.GenPublicKeyNew(aggregate, protocol.SampleCrp(keySet.CommonSeed)).ToArray();
        DateTimeOffset? now = Clock.UtcNow(time);
        var next = keySet.IsThreshold ? KeySetStatus.Sharing : KeySetStatus.Ready;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var completed = await db.KeySets.Where(k => k.Id == id && k.Status == KeySetStatus.Pending).ExecuteUpdateAsync(set => set
            .SetProperty(k => k.Status, next)
            .SetProperty(k => k.CollectivePublicKey, publicKey)
            .SetProperty(k => k.ReadyAt, next == KeySetStatus.Ready ? now : null), cancellationToken);
        if (completed == 0)
        {
            return;
        }
        await audit.SaveChangesAsync(next == KeySetStatus.Ready ? ReadyEvent(id, publicKey)
            : new AuditEntry(AuditActor.System, AuditAction.KeySet_Sharing, "KeySet", id.ToString(),
                new Dictionary<string, string?> { ["publicKeySha256"] = Convert.ToHexStringLower(SHA256.HashData(publicKey)) }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The key sets waiting for the node's public-key share or its threshold shares, oldest first.</summary>
    public IQueryable<KeySet> Owed(Guid nodeId) =>
        db.KeySets.AsNoTracking()
            .Where(k => (k.Status == KeySetStatus.Pending && k.Members.Any(m => m.NodeId == nodeId && m.Share == null))
                || (k.Status == KeySetStatus.Sharing && k.Members.Any(m => m.NodeId == nodeId && m.DealtAt == null)))
            .OrderBy(k => k.CreatedAt);

    /// <summary>The key-share uploads and threshold deals a node still owes.</summary>
    public async Task<IReadOnlyList<NodeTask>> PendingSharesAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        var keySets = await Owed(nodeId)
            .Select(k => new { k.Id, k.Parameters, k.CommonSeed, k.Status })
            .ToListAsync(cancellationToken);
        return [.. keySets.Select(k => new NodeTask(k.Status == KeySetStatus.Pending ? "keyShare" : "thresholdShares", k.Id, k.Parameters, Convert.ToBase64String(k.CommonSeed)))];
    }

    /// <summary>A member's party index: its place among the key set's members ordered by node id, as every node orders them.</summary>
    public static int PartyIndex(KeySet keySet, Guid nodeId)
    {
        ArgumentNullException.ThrowIfNull(keySet);
        return keySet.Members.Select(m => m.NodeId).Order().ToList().IndexOf(nodeId);
    }

    private IQueryable<KeySet> KeySetsWithMembers() => db.KeySets.Include(k => k.Members);

    private async Task<KeySetResponse> ToResponseAsync(KeySet k, CancellationToken cancellationToken)
    {
        var memberIds = k.Members.Select(m => m.NodeId).ToList();
        var identityKeys = await db.Nodes.Where(n => memberIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.IdentityKey, cancellationToken);
        var ordered = k.Members.OrderBy(m => m.NodeId).ToList();
        return new KeySetResponse(
            k.Id, k.Parameters, Convert.ToBase64String(k.CommonSeed), k.Status.ToString(),
            [.. ordered.Select(m => new KeySetMemberResponse(m.NodeId, m.Share is not null, m.UploadedAt))],
            k.CreatedAt, k.ReadyAt, k.CollectivePublicKey is null ? null : Convert.ToBase64String(k.CollectivePublicKey),
            [.. ordered.Select((m, index) => new RosterMember(
                m.NodeId, index,
                identityKeys.GetValueOrDefault(m.NodeId) is { } key ? Convert.ToBase64String(key) : null,
                identityKeys.GetValueOrDefault(m.NodeId) is { } fingerprinted ? IdentityKeys.Fingerprint(fingerprinted) : null,
                m.Share is null ? null : Convert.ToBase64String(m.Share),
                m.Share is null ? null : Convert.ToHexStringLower(SHA256.HashData(m.Share)),
                m.ShareSignature is null ? null : Convert.ToBase64String(m.ShareSignature),
                m.ExchangeKey is null ? null : Convert.ToBase64String(m.ExchangeKey),
                m.DealtAt is not null))],
            k.DecryptedParts, MaxDecryptedParts, k.EffectiveThreshold);
    }
}
