using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Dragon.Platform.Audit;

/// <summary>
/// Signs the head of the trail. It never signs a head that does not extend the last checkpoint: the whole
/// trail must verify first, so a rewritten history is refused, not blessed.
/// </summary>
public sealed class AuditCheckpoints(
    DragonDbContext db,
    AuditVerification verification,
    AuditSigningKey key,
    AuditKeyHistory keys,
    AuditOptions options,
    TimeProvider time,
    ILogger<AuditCheckpoints> logger)
{
    public const string RecurringJobId = "audit-checkpoint";

    public async Task<AuditCheckpoint?> SignLatestAsync(CancellationToken cancellationToken)
    {
        // The whole trail, every time: a checkpoint never signs over an event whose content no longer matches its hash.
        var report = await verification.VerifyAsync(cancellationToken, full: true);
        if (!report.Valid)
        {
            logger.LogError("Audit trail fails verification at sequence {Sequence}; no checkpoint signed", report.FirstInvalidSequence);
            throw new InvalidOperationException($"audit.chain_broken: the trail fails verification at sequence {report.FirstInvalidSequence}; refusing to sign.");
        }
        var head = await db.AuditHeads.AsNoTracking().SingleAsync(h => h.Id == AuditHead.SingletonId, cancellationToken);
        if (head.LastSequence == 0 || head.LastSequence == report.LatestCheckpoint?.Sequence)
        {
            return report.LatestCheckpoint;
        }
        var checkpoint = new AuditCheckpoint
        {
            Sequence = head.LastSequence,
            RootHash = head.LastHash,
            Origin = options.Origin,
            SignedAt = Clock.UtcNow(time),
            KeyId = key.KeyId,
            Signature = key.Sign(AuditCheckpointText.Body(options.Origin, head.LastSequence, head.LastHash)),
        };
        db.AuditCheckpoints.Add(checkpoint);
        await db.SaveChangesAsync(cancellationToken);
        keys.RecordSigned(key.KeyId, checkpoint.Sequence, checkpoint.RootHash);
        return checkpoint;
    }

    public Task<AuditCheckpoint?> LatestAsync(CancellationToken cancellationToken) =>
        db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(cancellationToken);
}

/// <summary>The <c>Audit</c> configuration section.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>The checkpoint origin line: names this trail, so checkpoints of different platforms never mix.</summary>
    public string Origin { get; set; } = "dragon-platform/audit";

    /// <summary>The checkpoint signing key (PEM); relative paths are under the content root.</summary>
    public string SigningKeyPath { get; set; } = "data/audit-signing-key.pem";

    /// <summary>
    /// The history of checkpoint keys and the last checkpoint signed (JSON); empty means beside the signing key, named
    /// after it with <c>.history.json</c>. Move it with the key: checkpoints signed by keys missing from it fail verification.
    /// </summary>
    public string KeyHistoryPath { get; set; } = "";

    /// <summary>
    /// The key that wraps person keys (32 bytes, created on first start, owner-only); empty means
    /// <c>person-key-wrapping.key</c> beside the signing key. Lose it and no personal data in the trail opens again.
    /// </summary>
    public string PersonKeyWrappingPath { get; set; } = "";

    /// <summary>Cron expression of the recurring checkpoint job.</summary>
    public string CheckpointSchedule { get; set; } = "*/5 * * * *";

    /// <summary>A checkpoint is also signed each time the trail grows past another multiple of this many events.</summary>
    public int CheckpointEveryEvents { get; set; } = 1000;
}
