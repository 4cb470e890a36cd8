using System.Security.Cryptography;
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
/// untrusted input: parsed, checked against the parameters and the signature before use.
/// </summary>
public sealed class KeySets(DragonDbContext db, AuditTrail audit, TimeProvider time, JobOptions options)
{
    public const int MinNodes = 2;
    public const int MaxNodes = 16;

    public static IReadOnlyList<string> Presets { get; } = [.. ParameterPresets.Names.Where(name => !ParameterPresets.IsInsecure(name))];

    /// <summary>The presets whose smudging meets the key-set target for <paramref name="nodes"/> parties.</summary>
    public static IReadOnlyList<string> PresetsFor(int nodes) =>
        [.. Presets.Where(name => DecryptionBounds.SupportsParties(EncryptionParameters.FromPreset(name), Math.Max(nodes, 1)))];

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
        if (request.Parameters is null || !Presets.Contains(request.Parameters))
        {
            errors.Add("parameters", $"parameters must be one of {string.Join(", ", Presets)}.");
        }
        else if (!PresetsFor(nodeIds.Count).Contains(request.Parameters))
        {
            errors.Add("parameters", $"{request.Parameters} cannot smudge decryption shares of {nodeIds.Count} nodes to the key-set target " +
                $"(statistical distance 2^-{SmudgingTarget.KeySetLifetime.DistanceBits} over {SmudgingTarget.KeySetLifetime.MaxDecryptedParts} decrypted parts); " +
                $"use one of {string.Join(", ", PresetsFor(nodeIds.Count))}.");
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
        };
        keySet.Members.AddRange(nodeIds.Select(id => new KeySetMember { KeySetId = keySet.Id, NodeId = id }));
        db.KeySets.Add(keySet);
        await audit.SaveChangesAsync(new AuditEntry(AuditActor.User(createdBy), AuditAction.KeySet_Created, "KeySet", keySet.Id.ToString(),
            new Dictionary<string, string?> { ["parameters"] = keySet.Parameters, ["nodes"] = string.Join(",", nodeIds) }), cancellationToken);
        return await ToResponseAsync(keySet, cancellationToken);
    }

    public async Task<Result<KeySetResponse>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var keySet = await KeySetsWithMembers().AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        return keySet is null ? KeySetErrors.NotFound(id) : await ToResponseAsync(keySet, cancellationToken);
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
        var signature = IdentityKeys.DecodeSignature(upload.Signature);
        var identityKey = await db.Nodes.Where(n => n.Id == nodeId).Select(n => n.IdentityKey).SingleAsync(cancellationToken);
        var statement = SignedStatements.KeyShare(id, keySet.CommonSeed, PartyIndex(keySet, nodeId), nodeId, SHA256.HashData(bytes));
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
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.Share, bytes).SetProperty(m => m.ShareSignature, signature).SetProperty(m => m.UploadedAt, now), cancellationToken);
            if (filled == 0)
            {
                var stored = await db.KeySetMembers.Where(m => m.KeySetId == id && m.NodeId == nodeId).Select(m => m.Share).SingleAsync(cancellationToken);
                return stored.AsSpan().SequenceEqual(bytes) ? await GetAsync(id, cancellationToken) : KeySetErrors.ShareAlreadyUploaded();
            }
            await audit.SaveChangesAsync(new AuditEntry(AuditActor.Node(nodeId), AuditAction.KeySet_ShareUploaded, "KeySet", id.ToString(),
                new Dictionary<string, string?> { ["shareSha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)) }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await CompleteWhenAllSharesAreInAsync(id, parameters, cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

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
    /// Makes the collective key once every share is in. Runs after the upload committed, on fresh rows, so the
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
        var now = Clock.UtcNow(time);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var completed = await db.KeySets.Where(k => k.Id == id && k.Status == KeySetStatus.Pending).ExecuteUpdateAsync(set => set
            .SetProperty(k => k.Status, KeySetStatus.Ready)
            .SetProperty(k => k.CollectivePublicKey, publicKey)
            .SetProperty(k => k.ReadyAt, now), cancellationToken);
        if (completed == 0)
        {
            return;
        }
        await audit.SaveChangesAsync(new AuditEntry(AuditActor.System, AuditAction.KeySet_Ready, "KeySet", id.ToString(),
            new Dictionary<string, string?> { ["publicKeySha256"] = Convert.ToHexStringLower(SHA256.HashData(publicKey)) }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The key-share uploads a node still owes.</summary>
    public async Task<IReadOnlyList<NodeTask>> PendingSharesAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        var keySets = await db.KeySets.AsNoTracking()
            .Where(k => k.Status == KeySetStatus.Pending && k.Members.Any(m => m.NodeId == nodeId && m.Share == null))
            .OrderBy(k => k.CreatedAt)
            .Select(k => new { k.Id, k.Parameters, k.CommonSeed })
            .ToListAsync(cancellationToken);
        return [.. keySets.Select(k => new NodeTask("keyShare", k.Id, k.Parameters, Convert.ToBase64String(k.CommonSeed)))];
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
                m.ShareSignature is null ? null : Convert.ToBase64String(m.ShareSignature)))],
            k.DecryptedParts, MaxDecryptedParts);
    }
}
