using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Audit;

/// <param name="VerifiedFrom">The sequence of the checkpoint verified before that this verification went on from; 0 for the whole trail.</param>
public sealed record AuditVerificationReport(bool Valid, long EventsChecked, long? FirstInvalidSequence, AuditCheckpoint? LatestCheckpoint, long VerifiedFrom = 0);

/// <summary>
/// Verifies the trail in the database, in batches, against its stored checkpoints: from the last checkpoint this host
/// verified (<see cref="AuditVerifiedPoint"/>), whose event must still carry the hash it had, or the whole trail when
/// asked or when none was verified yet. Each checkpoint is checked with the key it names from the key history (an unknown
/// key fails it), a retired key verifies nothing newer than the last checkpoint it signed, and the last checkpoint this platform signed must still
/// be there. A valid run moves the point to its latest checkpoint; an invalid one forgets it.
/// </summary>
public sealed class AuditVerification(DragonDbContext db, AuditKeyHistory keys, AuditVerifiedPoint verified)
{
    private const int BatchSize = 1000;

    public async Task<AuditVerificationReport> VerifyAsync(CancellationToken cancellationToken, bool full = false)
    {
        var from = full ? null : verified.Current;
        if (from is { } point && !await db.AuditEvents.AnyAsync(e => e.Sequence == point.Sequence && e.Hash == point.Hash, cancellationToken))
        {
            verified.Forget();
            var latest = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(cancellationToken);
            return new AuditVerificationReport(false, 0, point.Sequence, latest, point.Sequence);
        }
        var verifier = from is { } start ? new AuditChainVerifier(start.Sequence, start.Hash) : new AuditChainVerifier();
        var after = from?.Sequence ?? 0;
        while (true)
        {
            var batch = await db.AuditEvents.AsNoTracking()
                .Where(e => e.Sequence > after)
                .OrderBy(e => e.Sequence)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var e in batch)
            {
                verifier.Add(e);
            }
            if (batch.Count < BatchSize)
            {
                break;
            }
            after = batch[^1].Sequence;
        }
        var since = from?.Sequence ?? 0;
        var checkpoints = await db.AuditCheckpoints.AsNoTracking().Where(c => c.Sequence > since).OrderBy(c => c.Sequence).ToListAsync(cancellationToken);
        var history = keys.Keys;
        foreach (var checkpoint in checkpoints)
        {
            var key = history.FirstOrDefault(k => k.KeyId == checkpoint.KeyId);
            verifier.Check(checkpoint, key?.PublicKeyPem);
            if (key is { ValidTo: not null } retired && checkpoint.Sequence > (retired.LastSignedSequence ?? 0))
            {
                // Whoever kept a retired key could otherwise sign a rewrite made after it was replaced.
                verifier.Fail(checkpoint.Sequence);
            }
        }
        if (keys.LastSigned is { } signed
            && !await db.AuditCheckpoints.AnyAsync(c => c.Sequence == signed.Sequence && c.RootHash == signed.RootHash, cancellationToken))
        {
            verifier.Fail(signed.Sequence);
        }
        var latestCheckpoint = checkpoints.LastOrDefault() ?? await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(cancellationToken);
        if (!verifier.Valid)
        {
            verified.Forget();
        }
        else if (checkpoints.LastOrDefault() is { } reached)
        {
            verified.Advance(reached.Sequence, reached.RootHash);
        }
        return new AuditVerificationReport(verifier.Valid, verifier.EventsChecked, verifier.FirstInvalidSequence, latestCheckpoint, since);
    }
}
