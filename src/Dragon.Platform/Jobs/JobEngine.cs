using System.Security.Cryptography;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Platform.Access;
using Dragon.Platform.Audit;
using Dragon.Platform.BackgroundWork;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Jobs;

/// <summary>
/// Encrypted aggregation jobs (DESIGN.md steps 2 to 6): submission checked against the agreement, nodes'
/// encrypted contributions, the homomorphic sum, the nodes' decryption shares, and the release under
/// disclosure control. Every step is a state change with its audit event; background steps run as
/// reentrant work items, so a restart resumes a job where it stood.
/// </summary>
public sealed class JobEngine(
    DragonDbContext db, WorkQueue work, AuditTrail audit, DisclosurePolicy disclosure, KeySets keySets, TimeProvider time, JobOptions options)
{
    public const string StartWork = "job.start";
    public const string AggregateWork = "job.aggregate";
    public const string ReleaseWork = "job.release";

    public async Task<Result<JobResponse>> SubmitAsync(Guid researcherId, JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var agreement = await db.Agreements.AsNoTracking().SingleOrDefaultAsync(a => a.Id == request.AgreementId && a.ResearcherId == researcherId, cancellationToken);
        var keySet = await db.KeySets.Include(k => k.Members).AsNoTracking().SingleOrDefaultAsync(k => k.Id == request.KeySetId, cancellationToken);
        if (agreement is null || keySet is null)
        {
            var missing = new FieldErrors();
            if (agreement is null)
            {
                missing.Add("agreementId", "No agreement of yours has this id.");
            }
            if (keySet is null)
            {
                missing.Add("keySetId", "No key set has this id.");
            }
            return DomainError.Invalid(missing.ToDictionary());
        }
        var cohortIds = request.CohortIds?.Distinct().ToList() ?? [];
        var cohorts = await db.Cohorts.AsNoTracking().Where(c => cohortIds.Contains(c.Id)).ToListAsync(cancellationToken);
        var now = Clock.UtcNow(time);
        var unfinished = await db.Jobs.Where(j => j.AgreementId == agreement.Id).CountAsync(JobStateMachine.IsUnfinished, cancellationToken);
        var errors = JobRequestValidator.Validate(request, agreement, keySet, cohorts, (unfinished + 1) * disclosure.CostPerRelease, now);
        if (!errors.Any && cohorts.Count != cohortIds.Count)
        {
            errors.Add("cohortIds", "A requested cohort does not exist.");
        }
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        if (!errors.Any && DecryptionBounds.MaxCiphertextCount(parameters, keySet.Members.Count) < cohorts.Count)
        {
            errors.Add("keySetId", "The key set's parameters cannot decrypt a sum over this many nodes.");
        }
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        var variables = JobRequestValidator.Variables(cohorts);
        var layout = AggregationLayout.For(request.Aggregation!, variables);
        var job = new Job
        {
            Id = Guid.NewGuid(),
            AgreementId = agreement.Id,
            KeySetId = keySet.Id,
            ResearcherId = researcherId,
            CohortIds = cohortIds,
            Filter = JsonSerializer.Serialize(request.Filter ?? [], DragonJson.Options),
            Aggregation = JsonSerializer.Serialize(request.Aggregation, DragonJson.Options),
            LayoutVariables = JsonSerializer.Serialize(variables.Values.OrderBy(v => v.Name, StringComparer.Ordinal), DragonJson.Options),
            VectorLength = layout.Length,
            DecimalPlaces = layout.DecimalPlaces,
            Status = JobStatus.Queued,
            CreatedAt = now,
            Deadline = now + options.NodeDeadline,
        };
        job.Nodes.AddRange(cohorts.Select(c => new JobNode { JobId = job.Id, NodeId = c.NodeId!.Value, State = JobNodeState.Pending }));
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var parts = CiphertextVector.PartCountFor(layout.Length, parameters.PolyModulusDegree);
            if (await keySets.ReserveDecryptionAsync(keySet.Id, parts, cancellationToken) is not { } retirement)
            {
                return KeySetErrors.Retired(keySet.Id, keySets.MaxDecryptedParts);
            }
            db.Jobs.Add(job);
            work.Add(StartWork, job.Id.ToString());
            await audit.SaveChangesAsync([JobEvents.Of(AuditActor.User(researcherId), AuditAction.Job_Submitted, job, agreement.Purpose), .. retirement], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        work.DispatchCommitted();
        return ToResponse(job);
    }

    /// <summary>Publishes the job's tasks to its nodes (queued to committing).</summary>
    public async Task StartAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var started = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, JobStateMachine.Next[JobStatus.Queued]), cancellationToken);
        if (started == 0)
        {
            return;
        }
        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken);
        await audit.SaveChangesAsync(JobEvents.Of(AuditActor.System, AuditAction.Job_Committing, job), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Sums the contributions homomorphically; the platform never holds a key that decrypts them.</summary>
    public async Task AggregateAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await Jobs().SingleAsync(j => j.Id == jobId, cancellationToken);
        if (job.Status != JobStatus.Aggregating)
        {
            return;
        }
        var parameters = EncryptionParameters.FromPreset(await KeySetParametersAsync(job, cancellationToken));
        var aggregate = CiphertextVector.Sum(new Evaluator(parameters), OrderedContributions(job.Nodes).Select(bytes => CiphertextVector.ReadFrom(bytes, parameters))).ToArray();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Aggregating).ExecuteUpdateAsync(set => set
            .SetProperty(j => j.Aggregate, aggregate)
            .SetProperty(j => j.Status, JobStateMachine.Next[JobStatus.Aggregating]), cancellationToken);
        if (moved == 0)
        {
            return;
        }
        (job.Aggregate, job.Status) = (aggregate, JobStateMachine.Next[JobStatus.Aggregating]);
        await audit.SaveChangesAsync(JobEvents.Of(AuditActor.System, AuditAction.Job_Aggregated, job, facts: ("sha256", Sha256(aggregate))), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Combines the shares (which verifies them: a missing, altered or foreign share fails the job instead of
    /// releasing a wrong answer), decodes, applies disclosure control and releases.
    /// </summary>
    public async Task ReleaseAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await Jobs().SingleAsync(j => j.Id == jobId, cancellationToken);
        if (job.Status != JobStatus.Decrypting || job.Nodes.Any(n => n.DecryptionShare is null))
        {
            return;
        }
        var keySet = await db.KeySets.Include(k => k.Members).AsNoTracking().SingleAsync(k => k.Id == job.KeySetId, cancellationToken);
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        var aggregate = CiphertextVector.ReadFrom(job.Aggregate, parameters);
        var protocol = new DecryptionShareProtocol(parameters, partyCount: job.Nodes.Count, ciphertextCount: job.Nodes.Count);
        long[] vector;
        try
        {
            var combined = protocol.AggregateSharesNew(job.Nodes.OrderBy(n => n.NodeId).Select(n => DecryptionShare.ReadFrom(n.DecryptionShare, parameters)));
            vector = protocol.Decrypt(aggregate, combined, new IntegerEncoder(parameters));
        }
        catch (Exception exception) when (exception is DecryptionVerificationException or InvalidFormatException or ArgumentException)
        {
            await FailAsync(job, "The decryption shares do not combine into a verified result: a node sent a wrong share.", cancellationToken);
            return;
        }
        var spec = JsonSerializer.Deserialize<AggregationSpec>(job.Aggregation, DragonJson.Options)!;
        var layout = AggregationLayout.For(spec, await LayoutVariablesAsync(job, cancellationToken));
        var now = Clock.UtcNow(time);
        var result = new JobResult(spec.Kind!, DisclosureControl.Release(spec, layout, vector[..layout.Length], disclosure.MinCellCount), now);
        var json = JsonSerializer.Serialize(result, DragonJson.Options);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var released = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Decrypting).ExecuteUpdateAsync(set => set
            .SetProperty(j => j.Result, json)
            .SetProperty(j => j.Status, JobStateMachine.Next[JobStatus.Decrypting]), cancellationToken);
        if (released == 0)
        {
            return;
        }
        var cost = disclosure.CostPerRelease;
        var charged = await db.Agreements
            .Where(a => a.Id == job.AgreementId && a.Status == AgreementStatus.Active && a.ExpiresAt > now
                && a.BudgetSpent + cost <= a.PrivacyBudget + DisclosurePolicy.BudgetTolerance)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.BudgetSpent, a => a.BudgetSpent + cost), cancellationToken);
        if (charged == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            var agreement = await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == job.AgreementId, cancellationToken);
            var status = agreement.StatusAt(now);
            await FailAsync(job, status == AgreementStatus.Active
                ? "The agreement's privacy budget was spent by other releases before this one."
                : $"The agreement became {status.ToString().ToLowerInvariant()} before the release: nothing was released.", cancellationToken);
            return;
        }
        (job.Result, job.Status) = (json, JobStatus.Released);
        await audit.SaveChangesAsync(JobEvents.Of(AuditActor.System, AuditAction.Job_Released, job,
            facts: [("suppressedCells", result.Cells.Count(c => c.Suppressed).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("budgetCharged", cost.ToString(System.Globalization.CultureInfo.InvariantCulture))]), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The variables the job was laid out with at submission (for older jobs, the cohorts' current ones).</summary>
    private async Task<Dictionary<string, LayoutVariable>> LayoutVariablesAsync(Job job, CancellationToken cancellationToken)
    {
        if (JobManifest.SubmittedVariables(job) is { } submitted)
        {
            return submitted.ToDictionary(v => v.Name, StringComparer.Ordinal);
        }
        return JobRequestValidator.Variables(await db.Cohorts.AsNoTracking().Where(c => job.CohortIds.Contains(c.Id)).ToListAsync(cancellationToken));
    }


    /// <summary>Fails every unfinished job past its deadline, naming the nodes it still waits for.</summary>
    public async Task<int> EnforceDeadlinesAsync(CancellationToken cancellationToken)
    {
        var now = Clock.UtcNow(time);
        var late = await Jobs().Where(j => (j.Status == JobStatus.Committing || j.Status == JobStatus.Collecting || j.Status == JobStatus.Decrypting) && j.Deadline < now)
            .ToListAsync(cancellationToken);
        foreach (var job in late)
        {
            var (waiting, step) = job.Status switch
            {
                JobStatus.Committing => (job.Nodes.Where(n => n.Commitment is null), "commitment"),
                JobStatus.Collecting => (job.Nodes.Where(n => n.Contribution is null), "contribution"),
                _ => (job.Nodes.Where(n => n.DecryptionShare is null), "decryption share"),
            };
            var waitingIds = waiting.Select(n => n.NodeId).ToList();
            var names = await db.Nodes.Where(n => waitingIds.Contains(n.Id)).Select(n => n.Name).ToListAsync(cancellationToken);
            await FailAsync(job, $"Node {string.Join(", ", names.Order())} missed the deadline ({step}).", cancellationToken);
        }
        return late.Count;
    }

    public async Task<Result<JobResponse>> CancelAsync(Guid jobId, Guid userId, CancellationToken cancellationToken)
    {
        var job = await Jobs().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null || !await MayReadAsync(job, userId, isAuditor: false, cancellationToken))
        {
            return JobErrors.NotFound(jobId);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await Unfinished(jobId).ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, JobStatus.Cancelled), cancellationToken) == 0)
        {
            return JobErrors.Finished(await db.Jobs.Where(j => j.Id == jobId).Select(j => j.Status).SingleAsync(cancellationToken));
        }
        job.Status = JobStatus.Cancelled;
        await audit.SaveChangesAsync(JobEvents.Of(AuditActor.User(userId), AuditAction.Job_Cancelled, job), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToResponse(job);
    }

    public async Task<Result<JobResponse>> GetAsync(Guid jobId, Guid userId, bool isAuditor, CancellationToken cancellationToken)
    {
        var job = await Jobs().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        return job is null || !await MayReadAsync(job, userId, isAuditor, cancellationToken) ? JobErrors.NotFound(jobId) : ToResponse(job);
    }

    /// <summary>The researcher's jobs and the jobs over the caller's stewarded cohorts (all, for an auditor), newest first.</summary>
    public async Task<Paged<JobResponse>> ListAsync(Guid userId, bool isAuditor, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var stewarded = await db.CohortStewards.Where(s => s.UserId == userId).Select(s => s.CohortId).ToListAsync(cancellationToken);
        var query = db.Jobs.Where(j => isAuditor || j.ResearcherId == userId || j.CohortIds.Any(c => stewarded.Contains(c)));
        var total = await query.CountAsync(cancellationToken);
        var ids = await query.OrderByDescending(j => j.CreatedAt).ThenBy(j => j.Id).Skip(page.Skip).Take(page.PageSize).Select(j => j.Id).ToListAsync(cancellationToken);
        var jobs = await Jobs().AsNoTracking().Where(j => ids.Contains(j.Id)).ToDictionaryAsync(j => j.Id, cancellationToken);
        return new Paged<JobResponse>([.. ids.Select(id => ToResponse(jobs[id]))], page.Page, page.PageSize, total);
    }

    /// <summary>
    /// Cancels the unfinished jobs of a revoked agreement at once, each with a conditional update (a job released
    /// meanwhile stays released), inside the caller's transaction; returns the events of the jobs it cancelled.
    /// </summary>
    public async Task<List<AuditEntry>> CancelForAgreementAsync(Guid agreementId, AuditActor actor, CancellationToken cancellationToken)
    {
        var ids = await db.Jobs.Where(j => j.AgreementId == agreementId).Where(JobStateMachine.IsUnfinished).Select(j => j.Id).ToListAsync(cancellationToken);
        var events = new List<AuditEntry>();
        foreach (var id in ids)
        {
            var cancelled = await Unfinished(id).ExecuteUpdateAsync(set => set
                .SetProperty(j => j.Status, JobStatus.Cancelled)
                .SetProperty(j => j.Failure, "The agreement was revoked."), cancellationToken);
            if (cancelled == 1)
            {
                events.Add(JobEvents.Of(actor, AuditAction.Job_Cancelled, await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, cancellationToken)));
            }
        }
        return events;
    }

    /// <summary>Fails the job unless a concurrent step finished it first (released, cancelled or failed stays so).</summary>
    private async Task FailAsync(Job job, string reason, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await Unfinished(job.Id).ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, JobStatus.Failed).SetProperty(j => j.Failure, reason), cancellationToken) == 0)
        {
            return;
        }
        job.Status = JobStatus.Failed;
        job.Failure = reason;
        await audit.SaveChangesAsync(JobEvents.Of(AuditActor.System, AuditAction.Job_Failed, job, facts: ("reason", reason)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private IQueryable<Job> Unfinished(Guid jobId) => db.Jobs.Where(j => j.Id == jobId).Where(JobStateMachine.IsUnfinished);

    private Task<string> KeySetParametersAsync(Job job, CancellationToken cancellationToken) =>
        db.KeySets.Where(k => k.Id == job.KeySetId).Select(k => k.Parameters).SingleAsync(cancellationToken);

    /// <summary>Contributions in node order (<see cref="JobManifest.Participants"/>), the order the platform and the nodes sum them in.</summary>
    private static IEnumerable<byte[]> OrderedContributions(IEnumerable<JobNode> nodes) => nodes.OrderBy(n => n.NodeId).Select(n => n.Contribution!);

    private async Task<bool> MayReadAsync(Job job, Guid userId, bool isAuditor, CancellationToken cancellationToken) =>
        isAuditor || job.ResearcherId == userId
        || await db.CohortStewards.AnyAsync(s => s.UserId == userId && job.CohortIds.Contains(s.CohortId), cancellationToken);

    private IQueryable<Job> Jobs() => db.Jobs.Include(j => j.Nodes);

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static JobResponse ToResponse(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobResponse(job.Id, job.Status.ToString().ToLowerInvariant(), job.AgreementId, job.KeySetId, job.CohortIds,
            JsonSerializer.Deserialize<AggregationSpec>(job.Aggregation, DragonJson.Options)!,
            JsonSerializer.Deserialize<List<FilterCondition>>(job.Filter, DragonJson.Options) ?? [],
            [.. job.Nodes.OrderBy(n => n.NodeId).Select(n => new JobNodeResponse(n.NodeId, n.State.ToString().ToLowerInvariant()))],
            job.Result is null ? null : JsonSerializer.Deserialize<JobResult>(job.Result, DragonJson.Options),
            job.Failure, job.CreatedAt);
    }
}

/// <summary>The <c>Jobs</c> configuration section.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>How long nodes have to contribute and to send decryption shares before the job fails naming them.</summary>
    public TimeSpan NodeDeadline { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How many ciphertext parts one key set may decrypt before it is retired: the smudging's lifetime
    /// (<see cref="Dragon.Homomorphic.SmudgingTarget.KeySetLifetime"/>) unless set lower.
    /// </summary>
    public long MaxDecryptedPartsPerKeySet { get; set; } = Dragon.Homomorphic.SmudgingTarget.KeySetLifetime.MaxDecryptedParts;

    /// <summary>Hangfire cron of the deadline check: every minute by default; six fields for seconds.</summary>
    public string DeadlineCheck { get; set; } = "* * * * *";
}
