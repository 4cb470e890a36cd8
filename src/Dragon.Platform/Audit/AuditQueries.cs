using Dragon.Contracts.Audit;
using Dragon.Contracts.Common;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Audit;

/// <summary>The audit trail's filters: actor id, action name, object id (<c>subject</c>), time range.</summary>
public sealed record AuditSearch(string? Actor, string? Action, string? Subject, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>Reads the trail for auditors, decrypting personal data whose key still exists.</summary>
public sealed class AuditQueries(DragonDbContext db, PersonalDataVault vault)
{
    public async Task<Result<Paged<AuditEventResponse>>> SearchAsync(AuditSearch search, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(page);
        var query = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search.Actor))
        {
            query = query.Where(e => e.ActorId == search.Actor);
        }
        if (!string.IsNullOrWhiteSpace(search.Action))
        {
            if (!Enum.TryParse<AuditAction>(search.Action, ignoreCase: true, out var action) || !Enum.IsDefined(action))
            {
                return DomainError.Invalid(new Dictionary<string, string[]> { ["action"] = [$"'{search.Action}' is not an audit action."] });
            }
            query = query.Where(e => e.Action == action);
        }
        if (!string.IsNullOrWhiteSpace(search.Subject))
        {
            query = query.Where(e => e.ObjectId == search.Subject);
        }
        if (search.From is { } from)
        {
            query = query.Where(e => e.OccurredAt >= from);
        }
        if (search.To is { } to)
        {
            query = query.Where(e => e.OccurredAt < to);
        }
        var total = await query.CountAsync(cancellationToken);
        var events = await query.OrderBy(e => e.Sequence).Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        var items = new List<AuditEventResponse>(events.Count);
        foreach (var e in events)
        {
            var decrypted = e.PersonRef is { } person && e.PersonalData is { } data ? await vault.OpenAsync(person, data, cancellationToken) : null;
            items.Add(new AuditEventResponse(e.Sequence, e.OccurredAt, e.ActorType.ToString(), e.ActorId, e.Action.ToString(), (int)e.Action,
                e.ObjectType, e.ObjectId, e.Purpose, e.LegalBasis, e.Payload, e.PersonRef, e.PersonalData, decrypted, e.PreviousHash, e.Hash));
        }
        return new Paged<AuditEventResponse>(items, page.Page, page.PageSize, total);
    }

    /// <summary>The most events that <see cref="ByNodeAsync"/> returns at once.</summary>
    public const int NodeEventsLimit = 500;

    /// <summary>The events whose actor is node <paramref name="nodeId"/> after <paramref name="after"/>, oldest first, at most <see cref="NodeEventsLimit"/>: what the node cross-checks against its own log.</summary>
    public async Task<IReadOnlyList<AuditEventResponse>> ByNodeAsync(Guid nodeId, long after, CancellationToken cancellationToken)
    {
        var actor = nodeId.ToString();
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.ActorType == AuditActorType.Node && e.ActorId == actor && e.Sequence > after)
            .OrderBy(e => e.Sequence).Take(NodeEventsLimit).ToListAsync(cancellationToken);
        // A node's own events carry no personal data: what they hold is what the node uploaded or refused.
        return [.. events.Select(e => new AuditEventResponse(e.Sequence, e.OccurredAt, e.ActorType.ToString(), e.ActorId, e.Action.ToString(), (int)e.Action,
            e.ObjectType, e.ObjectId, e.Purpose, e.LegalBasis, e.Payload, e.PersonRef, e.PersonalData, null, e.PreviousHash, e.Hash))];
    }

    public static AuditEvent FromResponse(AuditEventResponse e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new AuditEvent
        {
            Sequence = e.Sequence,
            OccurredAt = e.OccurredAt,
            ActorType = Enum.Parse<AuditActorType>(e.ActorType),
            ActorId = e.ActorId,
            Action = (AuditAction)e.ActionCode,
            ObjectType = e.ObjectType,
            ObjectId = e.ObjectId,
            Purpose = e.Purpose,
            LegalBasis = e.LegalBasis,
            Payload = e.Payload,
            PersonRef = e.PersonRef,
            PersonalData = e.PersonalData,
            PreviousHash = e.PreviousHash,
            Hash = e.Hash,
        };
    }

    public static AuditCheckpointResponse ToResponse(AuditCheckpoint c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.Sequence, c.RootHash, c.SignedAt, c.Signature, c.KeyId, c.Origin, AuditCheckpointText.Body(c.Origin, c.Sequence, c.RootHash));
    }

    public static AuditCheckpoint FromResponse(AuditCheckpointResponse c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new() { Sequence = c.Sequence, RootHash = c.RootHash, SignedAt = c.SignedAt, Signature = c.Signature, KeyId = c.KeyId, Origin = c.Origin };
    }
}
