using Dragon.Contracts.Access;
using Dragon.Contracts.Common;
using Dragon.Contracts.Privacy;
using Dragon.Platform.Audit;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Access;

/// <summary>Agreements: who may read them, revocation by a steward, and the recurring expiry.</summary>
public sealed class Agreements(DragonDbContext db, Jobs.JobEngine jobs, AuditTrail audit, DisclosurePolicy disclosure, TimeProvider time)
{
    public const string ExpiryJobId = "agreement-expiry";

    /// <summary>The researcher, a steward of one of its cohorts, or an auditor; anyone else gets 404.</summary>
    public async Task<Result<AgreementResponse>> GetAsync(Guid id, Guid userId, bool isAuditor, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (agreement is null || !(isAuditor || await MayReadAsync(agreement, userId, cancellationToken)))
        {
            return AccessErrors.AgreementNotFound(id);
        }
        return ToResponse(agreement);
    }

    /// <summary>The researcher's agreements and those over the caller's stewarded cohorts (all, for an auditor), newest first.</summary>
    public async Task<Paged<AgreementResponse>> ListAsync(Guid userId, bool isAuditor, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var stewarded = await db.CohortStewards.Where(s => s.UserId == userId).Select(s => s.CohortId).ToListAsync(cancellationToken);
        var query = db.Agreements.AsNoTracking().Where(a => isAuditor || a.ResearcherId == userId || a.CohortIds.Any(c => stewarded.Contains(c)));
        var total = await query.CountAsync(cancellationToken);
        var agreements = await query.OrderByDescending(a => a.CreatedAt).ThenBy(a => a.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return new Paged<AgreementResponse>([.. agreements.Select(ToResponse)], page.Page, page.PageSize, total);
    }

    /// <summary>A steward of one of its cohorts ends the agreement at once; its unfinished jobs are cancelled.</summary>
    public async Task<Result<AgreementResponse>> RevokeAsync(Guid id, Guid stewardId, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (agreement is null || !await db.CohortStewards.AnyAsync(s => s.UserId == stewardId && agreement.CohortIds.Contains(s.CohortId), cancellationToken))
        {
            return AccessErrors.AgreementNotFound(id);
        }
        var now = Clock.UtcNow(time);
        var status = agreement.StatusAt(now);
        if (status != AgreementStatus.Active)
        {
            return AccessErrors.NotActive(status);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        agreement.Status = AgreementStatus.Revoked;
        agreement.RevokedAt = now;
        agreement.RevokedBy = stewardId;
        var events = await jobs.CancelForAgreementAsync(id, AuditActor.User(stewardId), "The agreement was revoked.", cancellationToken);
        events.Insert(0, new AuditEntry(AuditActor.User(stewardId), AuditAction.Agreement_Revoked, "Agreement", id.ToString(), Purpose: agreement.Purpose));
        await audit.SaveChangesAsync(events, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToResponse(agreement);
    }

    /// <summary>
    /// The recurring job: marks active agreements past their expiry as expired, one audit event each, and cancels their
    /// unfinished jobs in the same transaction (nodes stop being handed those tasks at the expiry itself:
    /// <see cref="Jobs.JobNodeTasks"/> asks for an agreement in force).
    /// </summary>
    public async Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        var now = Clock.UtcNow(time);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Agreements.Where(a => a.Status == AgreementStatus.Active && a.ExpiresAt <= now).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }
        var events = new List<AuditEntry>();
        foreach (var agreement in due)
        {
            agreement.Status = AgreementStatus.Expired;
            events.Add(new AuditEntry(AuditActor.System, AuditAction.Agreement_Expired, "Agreement", agreement.Id.ToString(), Purpose: agreement.Purpose));
            events.AddRange(await jobs.CancelForAgreementAsync(agreement.Id, AuditActor.System, "The agreement expired.", cancellationToken));
        }
        await audit.SaveChangesAsync(events, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    private async Task<bool> MayReadAsync(Agreement agreement, Guid userId, CancellationToken cancellationToken) =>
        agreement.ResearcherId == userId
        || await db.CohortStewards.AnyAsync(s => s.UserId == userId && agreement.CohortIds.Contains(s.CohortId), cancellationToken);

    private AgreementResponse ToResponse(Agreement a)
    {
        var left = Math.Max(0, a.PrivacyBudget - a.BudgetSpent);
        var spent = Math.Max(0, a.BudgetSpent);
        var privacy = new PrivacyEpsilon(disclosure.Delta, ZeroConcentratedDp.Epsilon(a.PrivacyBudget, disclosure.Delta),
            ZeroConcentratedDp.Epsilon(spent, disclosure.Delta), ZeroConcentratedDp.Epsilon(left, disclosure.Delta));
        return new(a.Id, a.RequestId, a.ResearcherId, a.Purpose, a.CohortIds, a.Variables, a.Aggregations, a.CreatedAt, a.ExpiresAt,
            a.PrivacyBudget, a.BudgetSpent, a.StatusAt(Clock.UtcNow(time)).ToString().ToLowerInvariant(), a.RevokedAt, left, a.ReleaseMode, privacy);
    }
}
