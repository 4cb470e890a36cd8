using System.Text.Json;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Audit;

/// <summary>
/// The one way features save a state change: the caller's pending changes and their audit events are written
/// in one transaction. If an event cannot be written, the change is rolled back (the trail fails closed).
/// </summary>
public sealed class AuditTrail(DragonDbContext db, PersonalDataVault vault, TimeProvider time, IBackgroundJobClient jobs, AuditOptions options)
{
    /// <summary>How long after the append that crossed a multiple of <see cref="AuditOptions.CheckpointEveryEvents"/> the checkpoint is signed: the append's transaction has committed by then (signing is idempotent, so a late one costs nothing).</summary>
    private static readonly TimeSpan CheckpointDelay = TimeSpan.FromSeconds(2);

    private static readonly JsonSerializerOptions PayloadJson = new() { WriteIndented = false };

    public async Task<AuditLink> SaveChangesAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        (await SaveChangesAsync([entry], cancellationToken))[0];

    /// <summary>
    /// Appends <paramref name="entries"/> and saves every pending change of the unit of work. Inside a
    /// transaction the caller opened, the caller commits; otherwise this opens and commits its own.
    /// </summary>
    /// <returns>Each entry's place in the trail, in order.</returns>
    public async Task<IReadOnlyList<AuditLink>> SaveChangesAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var owned = db.Database.CurrentTransaction is null;
        await using var transaction = owned ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var links = await AppendAsync(entries, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return links;
    }

    private async Task<List<AuditLink>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var links = new List<AuditLink>(entries.Count);
        // Taking the head row's lock first orders concurrent writers; the head is read only once we hold it.
        await db.AuditHeads.Where(h => h.Id == AuditHead.SingletonId)
            .ExecuteUpdateAsync(set => set.SetProperty(h => h.LastSequence, h => h.LastSequence), cancellationToken);
        var head = await db.AuditHeads.AsNoTracking().SingleAsync(h => h.Id == AuditHead.SingletonId, cancellationToken);
        var (sequence, previous) = (head.LastSequence, head.LastHash);
        var now = Clock.UtcNow(time);
        foreach (var entry in entries)
        {
            sequence++;
            var payload = Canonical(entry.Facts);
            var personal = entry.PersonRef is { } person && entry.PersonalData is { } data
                ? await vault.SealAsync(person, data, cancellationToken)
                : null;
            var hash = AuditCanonicalForm.Hash(sequence, now, entry.Actor.Type, entry.Actor.Id, entry.Action,
                entry.ObjectType, entry.ObjectId, entry.Purpose, entry.LegalBasis, payload, entry.PersonRef, personal, previous);
            db.AuditEvents.Add(new AuditEvent
            {
                Sequence = sequence,
                OccurredAt = now,
                ActorType = entry.Actor.Type,
                ActorId = entry.Actor.Id,
                Action = entry.Action,
                ObjectType = entry.ObjectType,
                ObjectId = entry.ObjectId,
                Purpose = entry.Purpose,
                LegalBasis = entry.LegalBasis,
                Payload = payload,
                PersonRef = entry.PersonRef,
                PersonalData = personal,
                PreviousHash = previous,
                Hash = hash,
            });
            previous = hash;
            links.Add(new AuditLink(sequence, hash));
            entry.OnSequenced?.Invoke(sequence);
        }
        await db.AuditHeads.Where(h => h.Id == AuditHead.SingletonId)
            .ExecuteUpdateAsync(set => set.SetProperty(h => h.LastSequence, sequence).SetProperty(h => h.LastHash, previous), cancellationToken);
        var every = Math.Max(1, options.CheckpointEveryEvents);
        if (sequence / every != head.LastSequence / every)
        {
            jobs.Schedule<AuditCheckpoints>(checkpoints => checkpoints.SignLatestAsync(CancellationToken.None), CheckpointDelay);
        }
        return links;
    }

    /// <summary>Facts as JSON with keys in ordinal order, so the same facts always hash the same.</summary>
    private static string Canonical(IReadOnlyDictionary<string, string?>? facts) =>
        JsonSerializer.Serialize(
            new SortedDictionary<string, string?>((IDictionary<string, string?>?)facts?.ToDictionary() ?? new Dictionary<string, string?>(), StringComparer.Ordinal),
            PayloadJson);
}

/// <summary>An event's place in the trail: its sequence and its hash (hex).</summary>
public sealed record AuditLink(long Sequence, string Hash);
