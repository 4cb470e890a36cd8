using Dragon.Contracts.Access;
using Dragon.Contracts.Privacy;
using Dragon.Contracts.Common;
using Dragon.Platform.Audit;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Dragon.Platform.Policies;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Access;

/// <summary>
/// The data-access workflow: researchers submit, amend and withdraw; stewards of the requested cohorts
/// approve, reject or request changes. When every requested cohort has an approval in the current round,
/// an agreement is created in the same transaction.
/// </summary>
public sealed class AccessRequests(DragonDbContext db, DataUsePolicy dataUse, DisclosurePolicy disclosure, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<AccessRequestResponse>> SubmitAsync(Guid researcherId, AccessRequestBody body, CancellationToken cancellationToken)
    {
        var valid = await ValidateAsync(body, cancellationToken);
        if (!valid.Succeeded)
        {
            return valid.Error;
        }
        var now = Clock.UtcNow(time);
        var request = new AccessRequest
        {
            Id = Guid.NewGuid(),
            ResearcherId = researcherId,
            Title = "",
            Purpose = "",
            Justification = "",
            Status = AccessRequestStatus.Submitted,
            SubmittedAt = now,
        };
        Apply(valid.Value, request, now);
        db.AccessRequests.Add(request);
        await audit.SaveChangesAsync(Event(AuditActor.User(researcherId), AuditAction.AccessRequest_Submitted, request), cancellationToken);
        return ToResponse(request);
    }

    /// <summary>The researcher answers a request for changes; the request is submitted again, in a new round.</summary>
    public async Task<Result<AccessRequestResponse>> AmendAsync(Guid researcherId, Guid id, AccessRequestBody body, CancellationToken cancellationToken)
    {
        var request = await Requests().SingleOrDefaultAsync(r => r.Id == id && r.ResearcherId == researcherId, cancellationToken);
        if (request is null)
        {
            return AccessErrors.RequestNotFound(id);
        }
        if (request.Status != AccessRequestStatus.ChangesRequested)
        {
            return AccessErrors.NotAmendable(request.Status);
        }
        var valid = await ValidateAsync(body, cancellationToken);
        if (!valid.Succeeded)
        {
            return valid.Error;
        }
        return await ExclusiveAsync(request, [AccessRequestStatus.ChangesRequested], AccessErrors.NotAmendable, async () =>
        {
            Apply(valid.Value, request, Clock.UtcNow(time));
            request.Round++;
            request.Status = AccessRequestStatus.Submitted;
            await audit.SaveChangesAsync(Event(AuditActor.User(researcherId), AuditAction.AccessRequest_Amended, request), cancellationToken);
            return ToResponse(request);
        }, cancellationToken);
    }

    public async Task<Result<AccessRequestResponse>> WithdrawAsync(Guid researcherId, Guid id, CancellationToken cancellationToken)
    {
        var request = await Requests().SingleOrDefaultAsync(r => r.Id == id && r.ResearcherId == researcherId, cancellationToken);
        if (request is null)
        {
            return AccessErrors.RequestNotFound(id);
        }
        if (request.Status is not (AccessRequestStatus.Submitted or AccessRequestStatus.ChangesRequested))
        {
            return AccessErrors.NotWithdrawable(request.Status);
        }
        return await ExclusiveAsync(request, [AccessRequestStatus.Submitted, AccessRequestStatus.ChangesRequested], AccessErrors.NotWithdrawable, async () =>
        {
            request.Status = AccessRequestStatus.Withdrawn;
            request.UpdatedAt = Clock.UtcNow(time);
            await audit.SaveChangesAsync(Event(AuditActor.User(researcherId), AuditAction.AccessRequest_Withdrawn, request), cancellationToken);
            return ToResponse(request);
        }, cancellationToken);
    }

    /// <summary>
    /// A steward decides for every requested cohort they steward. A steward of none of them gets 404; the researcher who
    /// made the request gets 403 even as a steward of its cohorts (four eyes: a cohort whose only steward is the requester
    /// waits for another); deciding twice in a round, or on a request that is not submitted, is a conflict.
    /// </summary>
    public async Task<Result<AccessRequestResponse>> DecideAsync(Guid stewardId, Guid id, DecisionRequest body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var request = await Requests().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        var stewarded = request is null ? [] : await StewardedAsync(stewardId, request.CohortIds, cancellationToken);
        if (request is null || stewarded.Count == 0)
        {
            return AccessErrors.RequestNotFound(id);
        }
        if (request.ResearcherId == stewardId)
        {
            return AccessErrors.OwnRequest();
        }
        var errors = new FieldErrors();
        AccessDecisionKind? decision = body.Decision switch
        {
            "approve" => AccessDecisionKind.Approve,
            "reject" => AccessDecisionKind.Reject,
            "requestChanges" => AccessDecisionKind.RequestChanges,
            _ => null,
        };
        if (decision is null)
        {
            errors.Add("decision", "decision must be approve, reject or requestChanges.");
        }
        var comment = Text.Optional(body.Comment, "comment", 2000, errors);
        if (body.ReleaseMode is not null && (decision != AccessDecisionKind.Approve || !ReleaseModes.IsKnown(body.ReleaseMode)))
        {
            errors.Add("releaseMode", "releaseMode goes with approve, and is dp or exact.");
        }
        if (decision is AccessDecisionKind.Reject or AccessDecisionKind.RequestChanges && comment.Length == 0)
        {
            errors.Add("comment", "Say why in a comment, so the researcher can act on it.");
        }
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        if (request.Status != AccessRequestStatus.Submitted)
        {
            return AccessErrors.NotOpenForDecision(request.Status);
        }
        return await ExclusiveAsync(request, [AccessRequestStatus.Submitted], AccessErrors.NotOpenForDecision, async () =>
        {
            if (request.Decisions.Any(d => d.Round == request.Round && stewarded.Contains(d.CohortId)))
            {
                return AccessErrors.AlreadyDecided();
            }

            var now = Clock.UtcNow(time);
            foreach (var cohortId in stewarded)
            {
                var entry = new AccessDecision
                {
                    Id = Guid.NewGuid(), RequestId = request.Id, CohortId = cohortId, StewardId = stewardId, Round = request.Round,
                    Decision = decision!.Value, Comment = comment.Length == 0 ? null : comment, DecidedAt = now,
                    ReleaseMode = decision == AccessDecisionKind.Approve ? body.ReleaseMode ?? ReleaseModes.Dp : null,
                };
                request.Decisions.Add(entry);
                db.AccessDecisions.Add(entry);
            }
            request.UpdatedAt = now;
            var events = new List<AuditEntry>
            {
                Event(AuditActor.User(stewardId), AuditAction.AccessRequest_Decided, request, ("decision", body.Decision), ("cohorts", string.Join(",", stewarded)),
                    ("releaseMode", decision == AccessDecisionKind.Approve ? body.ReleaseMode ?? ReleaseModes.Dp : null)),
            };
            if (decision == AccessDecisionKind.Reject)
            {
                request.Status = AccessRequestStatus.Rejected;
            }
            else if (decision == AccessDecisionKind.RequestChanges)
            {
                request.Status = AccessRequestStatus.ChangesRequested;
            }
            else if (request.CohortIds.All(c => request.Decisions.Any(d => d.Round == request.Round && d.CohortId == c && d.Decision == AccessDecisionKind.Approve)))
            {
                var agreement = NewAgreement(request, now);
                db.Agreements.Add(agreement);
                request.Status = AccessRequestStatus.Approved;
                request.AgreementId = agreement.Id;
                events.Add(new AuditEntry(AuditActor.User(stewardId), AuditAction.Agreement_Created, "Agreement", agreement.Id.ToString(),
                    new Dictionary<string, string?> { ["requestId"] = request.Id.ToString(), ["expiresAt"] = agreement.ExpiresAt.ToString("O"), ["releaseMode"] = agreement.ReleaseMode },
                    Purpose: agreement.Purpose));
            }
            await audit.SaveChangesAsync(events, cancellationToken);
            return ToResponse(request);
        }, cancellationToken);
    }

    /// <summary>A researcher sees their own requests; a steward those touching a cohort they steward.</summary>
    public async Task<Result<AccessRequestResponse>> GetAsync(Guid id, Guid userId, CancellationToken cancellationToken)
    {
        var request = await Requests().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null || (request.ResearcherId != userId && (await StewardedAsync(userId, request.CohortIds, cancellationToken)).Count == 0))
        {
            return AccessErrors.RequestNotFound(id);
        }
        return ToResponse(request);
    }

    /// <summary>The researcher's own requests and the requests for the caller's stewarded cohorts, newest first.</summary>
    public async Task<Paged<AccessRequestResponse>> ListAsync(Guid userId, AccessRequestStatus? status, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var stewarded = await db.CohortStewards.Where(s => s.UserId == userId).Select(s => s.CohortId).ToListAsync(cancellationToken);
        var query = Requests().AsNoTracking().Where(r => r.ResearcherId == userId || r.CohortIds.Any(c => stewarded.Contains(c)));
        if (status is not null)
        {
            query = query.Where(r => r.Status == status);
        }
        var total = await query.CountAsync(cancellationToken);
        var requests = await query.OrderByDescending(r => r.SubmittedAt).ThenBy(r => r.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return new Paged<AccessRequestResponse>([.. requests.Select(ToResponse)], page.Page, page.PageSize, total);
    }

    private async Task<Result<ValidAccessRequest>> ValidateAsync(AccessRequestBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var ids = body.CohortIds?.Distinct().Take(AccessRequestValidator.MaxCohorts + 1).ToList() ?? [];
        var cohorts = await db.Cohorts.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        return AccessRequestValidator.Validate(body, cohorts, dataUse, disclosure);
    }

    private async Task<List<Guid>> StewardedAsync(Guid userId, List<Guid> cohortIds, CancellationToken cancellationToken) =>
        await db.CohortStewards.Where(s => s.UserId == userId && cohortIds.Contains(s.CohortId)).Select(s => s.CohortId).ToListAsync(cancellationToken);

    private Agreement NewAgreement(AccessRequest request, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        RequestId = request.Id,
        ResearcherId = request.ResearcherId,
        Purpose = request.Purpose,
        CohortIds = [.. request.CohortIds],
        Variables = [.. request.Variables],
        Aggregations = [.. request.Aggregations],
        CreatedAt = now,
        ExpiresAt = now.AddDays(request.DurationDays),
        PrivacyBudget = disclosure.DefaultPrivacyBudget,
        ReleaseMode = request.Decisions.Where(d => d.Round == request.Round && d.Decision == AccessDecisionKind.Approve).All(d => d.ReleaseMode == ReleaseModes.Exact)
            ? ReleaseModes.Exact : ReleaseModes.Dp,
        Status = AgreementStatus.Active,
    };

    private IQueryable<AccessRequest> Requests() => db.AccessRequests.Include(r => r.Decisions);

    /// <summary>
    /// Runs <paramref name="change"/> in a transaction that holds the request's row, provided the request is still in
    /// one of <paramref name="statuses"/> in the round read before; otherwise answers <paramref name="moved"/> with
    /// the status it has now. Concurrent decisions, amendments and withdrawals of one request so run one after the
    /// other, each on fresh decisions: two last approvals cannot both miss each other.
    /// </summary>
    private async Task<Result<AccessRequestResponse>> ExclusiveAsync(AccessRequest request, AccessRequestStatus[] statuses,
        Func<AccessRequestStatus, DomainError> moved, Func<Task<Result<AccessRequestResponse>>> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var held = await db.AccessRequests.Where(r => r.Id == request.Id && r.Round == request.Round && statuses.Contains(r.Status))
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Round, r => r.Round), cancellationToken);
        if (held == 0)
        {
            return moved(await db.AccessRequests.Where(r => r.Id == request.Id).Select(r => r.Status).SingleAsync(cancellationToken));
        }
        await db.AccessDecisions.Where(d => d.RequestId == request.Id).LoadAsync(cancellationToken);
        var result = await change();
        if (result.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return result;
    }

    private static void Apply(ValidAccessRequest valid, AccessRequest request, DateTimeOffset now)
    {
        request.Title = valid.Title;
        request.Purpose = valid.Purpose;
        request.CohortIds = valid.CohortIds;
        request.Variables = valid.Variables;
        request.Aggregations = valid.Aggregations;
        request.Justification = valid.Justification;
        request.DurationDays = valid.DurationDays;
        request.UpdatedAt = now;
    }

    private static AuditEntry Event(AuditActor actor, AuditAction action, AccessRequest request, params (string Key, string? Value)[] facts) =>
        new(actor, action, "AccessRequest", request.Id.ToString(),
            AuditFacts.Of([("round", request.Round.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("status", request.Status.ToString()), .. facts]),
            Purpose: request.Purpose);

    public static AccessRequestResponse ToResponse(AccessRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Id, r.ResearcherId, r.Title, r.Purpose, r.CohortIds, r.Variables, r.Aggregations, r.Justification, r.DurationDays,
            r.Status.ToString(), r.Round, r.AgreementId, r.SubmittedAt, r.UpdatedAt,
            [.. r.Decisions.OrderBy(d => d.DecidedAt).Select(d => new DecisionResponse(d.CohortId, d.StewardId, d.Round, Wire(d.Decision), d.Comment, d.DecidedAt, d.ReleaseMode))]);
    }

    private static string Wire(AccessDecisionKind decision) => decision switch
    {
        AccessDecisionKind.Approve => "approve",
        AccessDecisionKind.Reject => "reject",
        _ => "requestChanges",
    };
}
