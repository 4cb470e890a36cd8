using System.Globalization;
using System.Security.Cryptography;
using Dragon.Contracts.Consent;
using Dragon.Platform.Audit;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Consent;

/// <summary>
/// GDPR art. 17 for a node's subject. First every consent is withdrawn, which the node reads in its feed and which stops
/// every later job from using the subject. Once the node has read those withdrawals, the pseudonym leaves the platform:
/// consent records keep their history under a random tombstone, link codes and patient links are deleted, and the
/// subject's audit key is destroyed, so the pseudonym in past audit events (sealed under it) can no longer be read.
/// </summary>
public sealed class SubjectErasure(DragonDbContext db, ConsentRegistry consents, PersonalDataVault vault, PersonKeyWrapping wrapping, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<SubjectErasureResponse>> RequestByNodeAsync(Guid nodeId, SubjectErasureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var subjectRef = ConsentRegistry.SubjectRef(request.SubjectRef, "subjectRef", errors);
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var queued = await QueueAsync(nodeId, subjectRef, AuditActor.Node(nodeId), cancellationToken);
        await audit.SaveChangesAsync(queued.Entries, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SubjectErasureResponse(queued.Withdrawn, Complete: !queued.Pending);
    }

    /// <summary>
    /// Withdraws the subject's consents and queues the pseudonym's removal for when the node has read them; a subject
    /// with no consents at the node has nothing to deliver and is removed at once. The caller saves the entries.
    /// </summary>
    internal async Task<(List<AuditEntry> Entries, int Withdrawn, bool Pending)> QueueAsync(
        Guid nodeId, string subjectRef, AuditActor actor, CancellationToken cancellationToken)
    {
        var entries = await consents.WithdrawForErasureAsync(nodeId, subjectRef, actor, cancellationToken);
        var withdrawn = entries.Count;
        if (!await db.Consents.AnyAsync(c => c.NodeId == nodeId && c.SubjectRef == subjectRef, cancellationToken))
        {
            entries.Add(await RemovePseudonymAsync(nodeId, subjectRef, cancellationToken));
            return (entries, withdrawn, false);
        }
        if (!await db.PendingErasures.AnyAsync(e => e.NodeId == nodeId && e.SubjectRef == subjectRef, cancellationToken))
        {
            db.PendingErasures.Add(new PendingErasure { Id = Guid.NewGuid(), NodeId = nodeId, SubjectRef = subjectRef, RequestedAt = Clock.UtcNow(time) });
        }
        return (entries, withdrawn, true);
    }

    /// <summary>The node asked for its feed after <paramref name="after"/>: it holds every version up to there, so erasures whose withdrawals all lie there complete.</summary>
    public async Task CompleteDeliveredAsync(Guid nodeId, long after, CancellationToken cancellationToken)
    {
        var pending = await db.PendingErasures.AsNoTracking().Where(e => e.NodeId == nodeId).ToListAsync(cancellationToken);
        foreach (var erasure in pending)
        {
            var undelivered = await (from version in db.ConsentVersions
                                     join consent in db.Consents on version.ConsentId equals consent.Id
                                     where consent.NodeId == nodeId && consent.SubjectRef == erasure.SubjectRef && version.FeedPosition > after
                                     select version.Id).AnyAsync(cancellationToken);
            if (undelivered)
            {
                continue;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Claimed by deleting it first: of two feed reads racing to complete the same erasure, one does it.
            if (await db.PendingErasures.Where(e => e.Id == erasure.Id).ExecuteDeleteAsync(cancellationToken) == 0)
            {
                continue;
            }
            var entry = await RemovePseudonymAsync(nodeId, erasure.SubjectRef, cancellationToken);
            await audit.SaveChangesAsync(entry, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private async Task<AuditEntry> RemovePseudonymAsync(Guid nodeId, string subjectRef, CancellationToken cancellationToken)
    {
        var tombstone = "erased-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var renamed = await db.Consents.Where(c => c.NodeId == nodeId && c.SubjectRef == subjectRef)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.SubjectRef, tombstone), cancellationToken);
        await db.LinkCodes.Where(c => c.NodeId == nodeId && c.SubjectRef == subjectRef).ExecuteDeleteAsync(cancellationToken);
        var unlinked = await db.PatientLinks.Where(l => l.NodeId == nodeId && l.SubjectRef == subjectRef).ExecuteDeleteAsync(cancellationToken);
        await vault.EraseAsync(wrapping.SubjectPersonRef(nodeId, subjectRef), cancellationToken);
        return new AuditEntry(AuditActor.System, AuditAction.Consent_SubjectErased, "Subject", tombstone,
            new Dictionary<string, string?>
            {
                ["nodeId"] = nodeId.ToString(),
                ["consents"] = renamed.ToString(CultureInfo.InvariantCulture),
                ["patientLinks"] = unlinked.ToString(CultureInfo.InvariantCulture),
            },
            LegalBasis: "GDPR art. 17: right to erasure");
    }
}
