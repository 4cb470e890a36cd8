using System.Security.Cryptography;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Platform.Audit;
using Dragon.Platform.Common;
using Dragon.Platform.Nodes;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Jobs;

/// <summary>
/// The key ceremony (DESIGN.md, step 1): the platform publishes a seed, each node uploads its public-key share,
/// and once all are in the platform sums them into the collective public key. Shares are untrusted input:
/// parsed and checked against the parameters before use.
/// </summary>
public sealed class KeySets(DragonDbContext db, AuditTrail audit, TimeProvider time)
{
    public const int MinNodes = 2;
    public const int MaxNodes = 16;

    public static IReadOnlyList<string> Presets { get; } = [.. ParameterPresets.Names.Where(name => !ParameterPresets.IsInsecure(name))];

    public async Task<Result<KeySetResponse>> CreateAsync(KeySetRequest request, Guid createdBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var nodeIds = request.NodeIds?.Distinct().ToList() ?? [];
        if (nodeIds.Count is < MinNodes or > MaxNodes || nodeIds.Count != request.NodeIds!.Count)
        {
            errors.Add("nodeIds", $"nodeIds must list {MinNodes} to {MaxNodes} different nodes.");
        }
        var active = await db.Nodes.Where(n => nodeIds.Contains(n.Id) && n.Status == NodeStatus.Active).Select(n => n.Id).ToListAsync(cancellationToken);
        foreach (var inactive in nodeIds.Except(active))
        {
            errors.Add("nodeIds", $"Node {inactive} does not exist or is not active.");
        }
        if (request.Parameters is null || !Presets.Contains(request.Parameters))
        {
            errors.Add("parameters", $"parameters must be one of {string.Join(", ", Presets)}.");
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
        return ToResponse(keySet);
    }

    public async Task<Result<KeySetResponse>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var keySet = await KeySetsWithMembers().AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        return keySet is null ? KeySetErrors.NotFound(id) : ToResponse(keySet);
    }

    /// <summary>
    /// Stores a member node's share once (the same bytes again are accepted and change nothing); the last share
    /// makes the collective key. A node outside the set gets 404.
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
        if (member.Share is not null)
        {
            return member.Share.AsSpan().SequenceEqual(bytes) ? ToResponse(keySet) : KeySetErrors.ShareAlreadyUploaded();
        }
        // Filled only while empty: of two different concurrent uploads one wins, and the collective key is made
        // from shares nobody can replace afterwards.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var now = Clock.UtcNow(time);
            var filled = await db.KeySetMembers.Where(m => m.KeySetId == id && m.NodeId == nodeId && m.Share == null)
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.Share, bytes).SetProperty(m => m.UploadedAt, now), cancellationToken);
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
        var keySets = await KeySetsWithMembers().AsNoTracking()
            .Where(k => k.Status == KeySetStatus.Pending && k.Members.Any(m => m.NodeId == nodeId && m.Share == null))
            .OrderBy(k => k.CreatedAt)
            .ToListAsync(cancellationToken);
        return [.. keySets.Select(k => new NodeTask("keyShare", k.Id, k.Parameters, Convert.ToBase64String(k.CommonSeed)))];
    }

    private IQueryable<KeySet> KeySetsWithMembers() => db.KeySets.Include(k => k.Members);

    private static KeySetResponse ToResponse(KeySet k) => new(
        k.Id, k.Parameters, Convert.ToBase64String(k.CommonSeed), k.Status.ToString(),
        [.. k.Members.OrderBy(m => m.NodeId).Select(m => new KeySetMemberResponse(m.NodeId, m.Share is not null, m.UploadedAt))],
        k.CreatedAt, k.ReadyAt, k.CollectivePublicKey is null ? null : Convert.ToBase64String(k.CollectivePublicKey));
}
