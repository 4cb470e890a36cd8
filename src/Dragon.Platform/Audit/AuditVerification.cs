using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Audit;

public sealed record AuditVerificationReport(bool Valid, long EventsChecked, long? FirstInvalidSequence, AuditCheckpoint? LatestCheckpoint);

/// <summary>Verifies the whole trail in the database, in batches, against every stored checkpoint.</summary>
public sealed class AuditVerification(DragonDbContext db, AuditSigningKey key)
{
    private const int BatchSize = 1000;

    public async Task<AuditVerificationReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var verifier = new AuditChainVerifier();
        long after = 0;
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
        var checkpoints = await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync(cancellationToken);
        foreach (var checkpoint in checkpoints)
        {
            verifier.Check(checkpoint, key.PublicKeyPem);
        }
        return new AuditVerificationReport(verifier.Valid, verifier.EventsChecked, verifier.FirstInvalidSequence, checkpoints.LastOrDefault());
    }
}
