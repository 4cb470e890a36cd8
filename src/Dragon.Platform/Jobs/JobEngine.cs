using System.Security.Cryptography;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;
using Dragon.Contracts.Privacy;
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
    DragonDbContext db, WorkQueue work, AuditTrail audit, DisclosurePolicy disclosure, KeySets keySets, ModelRounds modelRounds, JobUploads uploads,
    TimeProvider time, JobOptions options)
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
        int? minContributors = keySet.IsThreshold ? Math.Max(keySet.EffectiveThreshold, disclosure.MinSites) : null;
        var errors = JobRequestValidator.Validate(request, agreement, keySet, cohorts, now, minContributors ?? 0);
        if (!errors.Any && cohorts.Count != cohortIds.Count)
        {
            errors.Add("cohortIds", "A requested cohort does not exist.");
        }
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        if (!errors.Any && DecryptionBounds.MaxCiphertextCount(parameters, keySet.Members.Count, keySet.EffectiveThreshold, SmudgingTarget.KeySetLifetime) < cohorts.Count)
        {
            errors.Add("keySetId", "The key set's parameters cannot decrypt a sum over this many nodes.");
        }
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        var variables = JobRequestValidator.Variables(cohorts);
        var aggregation = ModelRounds.WithDefaults(request.Aggregation!, agreement.ReleaseMode);
        var layout = AggregationLayout.For(aggregation, variables);
        var job = new Job
        {
            Id = Guid.NewGuid(),
            AgreementId = agreement.Id,
            KeySetId = keySet.Id,
            ResearcherId = researcherId,
            Requester = JsonSerializer.Serialize(await RequesterAsync(agreement.Id, researcherId, cancellationToken), DragonJson.Options),
            MinCellCount = disclosure.MinCellCount,
            CohortIds = cohortIds,
            Filter = JsonSerializer.Serialize(request.Filter ?? [], DragonJson.Options),
            Aggregation = JsonSerializer.Serialize(aggregation, DragonJson.Options),
            Model = aggregation.Kind == "glm" ? JsonSerializer.Serialize(GlmProgress.Start(GlmDesign.For(aggregation, variables)), DragonJson.Options) : null,
            LayoutVariables = JsonSerializer.Serialize(variables.Values.OrderBy(v => v.Name, StringComparer.Ordinal), DragonJson.Options),
            VectorLength = layout.Length,
            DecimalPlaces = layout.DecimalPlaces,
            Status = JobStatus.Queued,
            ReleaseMode = agreement.ReleaseMode,
            Rho = disclosure.CostPerRelease,
            MinContributors = minContributors,
            CreatedAt = now,
            Deadline = now + options.NodeDeadline,
        };
        job.Nodes.AddRange(cohorts.Select(c => new JobNode { JobId = job.Id, NodeId = c.NodeId!.Value, State = JobNodeState.Pending }));
        job.BudgetCharged = job.Rho * ModelRounds.ChargedRounds(aggregation, job.ReleaseMode);
        await EnsureResearcherCohortBudgetsAsync(researcherId, cohortIds, cancellationToken);
        BudgetRefusal? refusal;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            refusal = await ChargeAsync(job, cancellationToken);
            if (refusal is null)
            {
                // After the charge, which locks the researcher's budget rows of these cohorts: a job submitted at the same
                // time over them waits for this one and lists it.
                if (job.ReleaseMode == ReleaseModes.Exact)
                {
                    var checks = new ExactChecks(await PriorSelectionsAsync(job, variables, cancellationToken), disclosure.ExactChecks.DominanceTop);
                    job.ExactChecks = JsonSerializer.Serialize(checks, DragonJson.Options);
                    job.VectorLength = ExactCheckSlots.For(aggregation, layout.Length, checks).Length;
                }
                // A model decrypts one aggregate per round: its most rounds are reserved, as a one-round job's one.
                var slots = JobManifest.Limbs(parameters, keySet.Members.Count, aggregation.Kind).SlotsFor(job.VectorLength);
                var parts = CiphertextVector.PartCountFor(slots, parameters.PolyModulusDegree) * (aggregation.Kind == "glm" ? aggregation.MaxIterations!.Value : 1);
                if (await keySets.ReserveDecryptionAsync(keySet.Id, parts, cancellationToken) is not { } retirement)
                {
                    return KeySetErrors.Retired(keySet.Id, keySets.MaxDecryptedParts);
                }
                db.Jobs.Add(job);
                work.Add(StartWork, job.Id.ToString());
                await audit.SaveChangesAsync([JobEvents.Of(AuditActor.User(researcherId), AuditAction.Job_Submitted, job, agreement.Purpose,
                    ("budgetCharged", Invariant(job.BudgetCharged)), ("releaseMode", job.ReleaseMode)), .. retirement], cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        if (refusal is not null)
        {
            await audit.SaveChangesAsync(new AuditEntry(AuditActor.User(researcherId), AuditAction.Job_Refused, "Agreement", agreement.Id.ToString(),
                AuditFacts.Of([("rule", refusal.Rule), ("budgetAsked", Invariant(job.BudgetCharged)), ("budgetLeft", Invariant(refusal.Left)),
                    ("cohortIds", string.Join(",", cohortIds))]), Purpose: agreement.Purpose), cancellationToken);
            return refusal.Error;
        }
        work.DispatchCommitted();
        return ToResponse(job);
    }

    /// <summary>
    /// The researcher's last exact jobs (per the policy's window) that are released or may still be, over cohorts all
    /// among this job's and on variables whose type and categories are as they were then: the selections an exact release
    /// is compared with. Jobs stored before their variables were kept are left out.
    /// </summary>
    private async Task<List<PriorSelection>> PriorSelectionsAsync(Job job, Dictionary<string, LayoutVariable> variables, CancellationToken cancellationToken)
    {
        var window = disclosure.ExactChecks.DifferencingWindow;
        var candidates = await db.Jobs.AsNoTracking()
            .Where(j => j.ResearcherId == job.ResearcherId && j.ReleaseMode == ReleaseModes.Exact && j.Status != JobStatus.Failed && j.Status != JobStatus.Cancelled)
            .OrderByDescending(j => j.CreatedAt)
            .Select(j => new Job { Id = j.Id, AgreementId = j.AgreementId, CohortIds = j.CohortIds, Filter = j.Filter, Aggregation = j.Aggregation, LayoutVariables = j.LayoutVariables })
            .ToListAsync(cancellationToken);
        var comparable = candidates.Where(j => j.CohortIds.All(job.CohortIds.Contains) && SameVariables(j, variables)).Take(window).ToList();
        var agreementIds = comparable.Select(j => j.AgreementId).Distinct().ToList();
        var purposes = await db.Agreements.Where(a => agreementIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Purpose, cancellationToken);
        return [.. comparable.Select(j => new PriorSelection(j.Id, purposes[j.AgreementId], j.CohortIds,
            JsonSerializer.Deserialize<List<FilterCondition>>(j.Filter, DragonJson.Options) ?? [],
            JsonSerializer.Deserialize<AggregationSpec>(j.Aggregation, DragonJson.Options)!))];
    }

    /// <summary>Whether every variable the earlier job read has its type and categories of then among these variables.</summary>
    private static bool SameVariables(Job prior, Dictionary<string, LayoutVariable> variables)
    {
        if (JobManifest.SubmittedVariables(prior) is not { } then)
        {
            return false;
        }
        var spec = JsonSerializer.Deserialize<AggregationSpec>(prior.Aggregation, DragonJson.Options)!;
        var filter = JsonSerializer.Deserialize<List<FilterCondition>>(prior.Filter, DragonJson.Options) ?? [];
        var used = spec.ReadVariables().Concat(filter.Select(f => f.Variable).OfType<string>());
        return used.All(name => then.FirstOrDefault(v => v.Name == name) is { } was && variables.GetValueOrDefault(name) is { } now
            && was.Type == now.Type && (was.Categories ?? []).SequenceEqual(now.Categories ?? []));
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
        var keySet = await db.KeySets.Include(k => k.Members).AsNoTracking().SingleAsync(k => k.Id == job.KeySetId, cancellationToken);
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
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
        (string, string?)[] subsetFact = [];
        if (job.MinContributors is not null)
        {
            var subset = await ChooseDecryptionSubsetAsync(job, job.Nodes.Where(n => n.Contribution is not null).Select(n => n.NodeId), keySet.EffectiveThreshold, cancellationToken);
            subsetFact = [("decryptionSubset", string.Join(",", subset))];
        }
        await audit.SaveChangesAsync(JobEvents.Of(AuditActor.System, AuditAction.Job_Aggregated, job, facts: [("sha256", Sha256(aggregate)), .. subsetFact]), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Asks <paramref name="threshold"/> of the candidates for decryption shares, inside the caller's transaction: those
    /// heard from last first, so nodes that are online are asked; the others stand by. Their Lagrange coefficients
    /// depend on the subset, so every asked node makes its share for this one.
    /// </summary>
    private async Task<List<Guid>> ChooseDecryptionSubsetAsync(Job job, IEnumerable<Guid> candidates, int threshold, CancellationToken cancellationToken)
    {
        var ids = candidates.ToList();
        var heard = await db.Nodes.Where(n => ids.Contains(n.Id)).Select(n => new { n.Id, n.LastHeartbeatAt }).ToListAsync(cancellationToken);
        var subset = JobManifest.Participants(heard.OrderByDescending(n => n.LastHeartbeatAt ?? DateTimeOffset.MinValue).ThenBy(n => n.Id).Take(threshold).Select(n => n.Id));
        await db.JobNodes.Where(n => n.JobId == job.Id).ExecuteUpdateAsync(set => set.SetProperty(n => n.StandsBy, n => !subset.Contains(n.NodeId)), cancellationToken);
        foreach (var node in job.Nodes)
        {
            node.StandsBy = !subset.Contains(node.NodeId);
        }
        return subset;
    }

    /// <summary>
    /// Combines the shares (which verifies them: a missing, altered or foreign share fails the job instead of
    /// releasing a wrong answer), decodes, applies disclosure control and releases.
    /// </summary>
    public async Task ReleaseAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await Jobs().SingleAsync(j => j.Id == jobId, cancellationToken);
        var asked = job.Nodes.Where(n => n.IsAsked).OrderBy(n => n.NodeId).ToList();
        if (job.Status != JobStatus.Decrypting || asked.Any(n => n.DecryptionShare is null))
        {
            return;
        }
        var keySet = await db.KeySets.Include(k => k.Members).AsNoTracking().SingleAsync(k => k.Id == job.KeySetId, cancellationToken);
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        var aggregate = CiphertextVector.ReadFrom(job.Aggregate, parameters);
        var spec = JsonSerializer.Deserialize<AggregationSpec>(job.Aggregation, DragonJson.Options)!;
        var contributors = job.Nodes.Count(n => n.Contribution is not null);
        var protocol = job.MinContributors is null
            ? new DecryptionShareProtocol(parameters, partyCount: job.Nodes.Count, ciphertextCount: job.Nodes.Count)
            : new DecryptionShareProtocol(parameters, keySet.Members.Count, keySet.EffectiveThreshold, contributors, SmudgingTarget.KeySetLifetime);
        if (job.MinContributors is not null && await ClearSharesForAnotherSubsetAsync(job, asked, cancellationToken))
        {
            return;
        }
        long[] vector;
        try
        {
            var combined = protocol.AggregateSharesNew(asked.Select(n => DecryptionShare.ReadFrom(n.DecryptionShare, parameters)));
            vector = JobManifest.Limbs(parameters, keySet.Members.Count, spec.Kind).Decode(protocol.Decrypt(aggregate, combined, new IntegerEncoder(parameters)));
        }
        catch (Exception exception) when (exception is DecryptionVerificationException or InvalidFormatException or ArgumentException or OverflowException)
        {
            await FailAsync(job, "The decryption shares do not combine into a verified result: a node sent a wrong share.", cancellationToken);
            return;
        }
        var variables = await LayoutVariablesAsync(job, cancellationToken);
        var layout = AggregationLayout.For(spec, variables);
        var checks = JobManifest.Checks(job);
        var slots = ExactCheckSlots.For(spec, layout.Length, checks);
        // A model's differencing counts are computed in its first round only (its records do not change between rounds).
        if (checks is not null && job.Round == 0 && await DifferencingRefusalAsync(checks, slots, vector, cancellationToken) is { } prior)
        {
            await FailAsync(job, $"Refused by the differencing check: the records this job selects and those of your job {prior} differ by fewer than " +
                $"{disclosure.MinCellCount} (but not none), so the two results together would single them out. Nothing was released.", cancellationToken,
                ("disclosureRule", "differencing"), ("priorJobId", prior.ToString()));
            return;
        }
        var now = Clock.UtcNow(time);
        ModelTable? model = null;
        if (spec.Kind == "glm")
        {
            switch (ModelRounds.After(job, spec, variables, vector, disclosure.GlmRules))
            {
                case GlmOutcome.Failed failed:
                    await FailAsync(job, failed.Reason, cancellationToken, ("disclosureRule", failed.Rule), ("round", Invariant(job.Round)));
                    return;
                case GlmOutcome.NextRound next:
                    await modelRounds.StartNextAsync(job, next.Progress, asked, now, cancellationToken);
                    return;
                case GlmOutcome.Converged converged:
                    model = converged.Table;
                    break;
            }
        }
        var result = (model is null ? Result(job, spec, layout, variables, slots, vector, now) : new JobResult(spec.Kind!, [], now, job.ReleaseMode, job.ReleaseMode == ReleaseModes.Dp ? job.BudgetCharged : null, Model: model)) with
        {
            Contributors = JobManifest.Participants(job.Nodes.Where(n => n.Contribution is not null).Select(n => n.NodeId)),
        };
        var json = JsonSerializer.Serialize(result, DragonJson.Options);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var released = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Decrypting).ExecuteUpdateAsync(set => set
            .SetProperty(j => j.Result, json)
            .SetProperty(j => j.Status, JobStateMachine.Next[JobStatus.Decrypting]), cancellationToken);
        if (released == 0)
        {
            return;
        }
        // The budget was charged at submission; a release still needs the agreement active now.
        var active = await db.Agreements.AnyAsync(a => a.Id == job.AgreementId && a.Status == AgreementStatus.Active && a.ExpiresAt > now, cancellationToken);
        if (!active)
        {
            await transaction.RollbackAsync(cancellationToken);
            var agreement = await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == job.AgreementId, cancellationToken);
            await FailAsync(job, $"The agreement became {agreement.StatusAt(now).ToString().ToLowerInvariant()} before the release: nothing was released.", cancellationToken);
            return;
        }
        (job.Result, job.Status) = (json, JobStatus.Released);
        await audit.SaveChangesAsync(JobEvents.Of(AuditActor.System, AuditAction.Job_Released, job,
            facts: [("suppressedCells", result.Cells.Count(c => c.Suppressed).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                .. Dominated(slots, vector) ? [("disclosureRule", "dominance")] : Array.Empty<(string, string?)>()]), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        JobTelemetry.JobsEnded.Add(1, new KeyValuePair<string, object?>("status", "released"));
    }

    /// <summary>The released result: noisy cells with their noise scale and interval, or exact cells under disclosure control.</summary>
    private JobResult Result(Job job, AggregationSpec spec, AggregationLayout layout, Dictionary<string, LayoutVariable> variables, ExactCheckSlots slots, long[] vector, DateTimeOffset now)
    {
        var released = vector[..layout.Length];
        if (job.ReleaseMode == ReleaseModes.Dp)
        {
            var variances = NoiseCalibration.TotalVariances(spec, variables, job.Rho, job.MinContributors ?? job.Nodes.Count, job.Nodes.Count(n => n.Contribution is not null));
            return new JobResult(spec.Kind!, NoisyRelease.Release(spec, layout, released, variances), now, job.ReleaseMode, job.Rho, NoisyRelease.Clipped(layout, released, variances));
        }
        var exact = DisclosureControl.Release(spec, layout, released, disclosure.MinCellCount, slots.Missing is { } missing ? vector[missing] : null, Dominated(slots, vector));
        return new JobResult(spec.Kind!, exact.Cells, now, job.ReleaseMode, Clipped: DisclosureControl.Clipped(layout, released, disclosure.MinCellCount), Missing: exact.Missing);
    }

    /// <summary>
    /// The first earlier job, still released or releasable, whose selection differs from this one's by 1 to the minimum
    /// cell count minus one records, either way; null when none does.
    /// </summary>
    private async Task<Guid?> DifferencingRefusalAsync(ExactChecks checks, ExactCheckSlots slots, long[] vector, CancellationToken cancellationToken)
    {
        var ids = checks.Prior.Select(p => p.JobId).ToList();
        var live = await db.Jobs.Where(j => ids.Contains(j.Id) && j.Status != JobStatus.Failed && j.Status != JobStatus.Cancelled).Select(j => j.Id).ToListAsync(cancellationToken);
        bool Close(long difference) => difference >= 1 && difference < disclosure.MinCellCount;
        return checks.Prior.Select((prior, i) => (prior.JobId, i))
            .Where(p => live.Contains(p.JobId) && (Close(vector[slots.NewNotOld(p.i)]) || Close(vector[slots.OldNotNew(p.i)])))
            .Select(p => (Guid?)p.JobId).FirstOrDefault();
    }

    /// <summary>
    /// The n-k rule, conservatively: the nodes' largest magnitudes summed (at least the pooled largest) exceed the policy's
    /// share of all magnitudes.
    /// </summary>
    private bool Dominated(ExactCheckSlots slots, long[] vector) =>
        slots.Dominance is { } d && vector[d + 1] > 0 && vector[d] > disclosure.ExactChecks.DominanceShare * vector[d + 1];

    /// <summary>The variables the job was laid out with at submission (for older jobs, the cohorts' current ones).</summary>
    private async Task<Dictionary<string, LayoutVariable>> LayoutVariablesAsync(Job job, CancellationToken cancellationToken)
    {
        if (JobManifest.SubmittedVariables(job) is { } submitted)
        {
            return submitted.ToDictionary(v => v.Name, StringComparer.Ordinal);
        }
        return JobRequestValidator.Variables(await db.Cohorts.AsNoTracking().Where(c => job.CohortIds.Contains(c.Id)).ToListAsync(cancellationToken));
    }


    /// <summary>
    /// Acts on every unfinished job past its deadline. A job under a t-of-N key set goes on without the nodes it still
    /// waits for while enough remain (at least its <see cref="Job.MinContributors"/> to contribute, at least the threshold
    /// to decrypt: another decryption subset is then asked); any other fails, naming the nodes it waited for.
    /// </summary>
    public async Task<int> EnforceDeadlinesAsync(CancellationToken cancellationToken)
    {
        var now = Clock.UtcNow(time);
        var late = await Jobs().Where(j => (j.Status == JobStatus.Committing || j.Status == JobStatus.Collecting || j.Status == JobStatus.Decrypting) && j.Deadline < now)
            .ToListAsync(cancellationToken);
        foreach (var job in late)
        {
            var (waiting, step) = job.Status switch
            {
                JobStatus.Committing => (job.Nodes.Where(n => n.IsAsked && n.Commitment is null), JobSteps.Commitment),
                JobStatus.Collecting => (job.Nodes.Where(n => n.IsAsked && n.Contribution is null), JobSteps.Contribution),
                _ => (job.Nodes.Where(n => n.IsAsked && n.DecryptionShare is null), JobSteps.DecryptionShare),
            };
            var waitingIds = waiting.Select(n => n.NodeId).ToList();
            var names = await NodeNamesAsync(waitingIds, cancellationToken);
            // A model's later rounds go on with every contributor of its first or not at all (JobManifest.Participants).
            if (job.MinContributors is { } minContributors && (job.Round == 0 || job.Status == JobStatus.Decrypting))
            {
                var threshold = await db.KeySets.Where(k => k.Id == job.KeySetId).Select(k => k.Threshold).SingleAsync(cancellationToken);
                var remaining = job.Status == JobStatus.Decrypting
                    ? job.Nodes.Where(n => n.Contribution is not null && n.Missed is null && !waitingIds.Contains(n.NodeId)).Select(n => n.NodeId).ToList()
                    : job.Nodes.Where(n => n.IsAsked && !waitingIds.Contains(n.NodeId)).Select(n => n.NodeId).ToList();
                var needed = job.Status == JobStatus.Decrypting ? threshold : minContributors;
                if (remaining.Count >= needed)
                {
                    await GoOnWithoutAsync(job, waitingIds, step, remaining, threshold, now, cancellationToken);
                    continue;
                }
                await FailAsync(job, $"Node {string.Join(", ", names)} missed the deadline ({step}); {remaining.Count} node(s) remain and the job needs {needed}.", cancellationToken);
                continue;
            }
            await FailAsync(job, $"Node {string.Join(", ", names)} missed the deadline ({step}).", cancellationToken);
        }
        return late.Count;
    }

    /// <summary>
    /// Leaves the late nodes out of a t-of-N job and moves it on with the rest: to collecting or aggregating, or at the
    /// decryption step to a new subset of the remaining contributors (the shares given for the old one are dropped: their
    /// Lagrange coefficients were for it). The next step gets a deadline of its own.
    /// </summary>
    private async Task GoOnWithoutAsync(Job job, List<Guid> late, string step, List<Guid> remaining, int threshold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var status = job.Status;
        var next = status == JobStatus.Decrypting ? JobStatus.Decrypting : JobStateMachine.Next[status];
        var deadline = now + options.NodeDeadline;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Jobs.Where(j => j.Id == job.Id && j.Status == status && j.Deadline == job.Deadline)
                .ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, next).SetProperty(j => j.Deadline, deadline), cancellationToken) == 0)
        {
            return;
        }
        await db.JobNodes.Where(n => n.JobId == job.Id && late.Contains(n.NodeId)).ExecuteUpdateAsync(set => set.SetProperty(n => n.Missed, step), cancellationToken);
        (job.Status, job.Deadline) = (next, deadline);
        foreach (var node in job.Nodes.Where(n => late.Contains(n.NodeId)))
        {
            node.Missed = step;
        }
        List<(string, string?)> facts = [("step", step), ("nodes", string.Join(",", late.Order())), ("remaining", string.Join(",", remaining.Order()))];
        if (status == JobStatus.Decrypting)
        {
            await ClearSharesAsync(db.JobNodes.Where(n => n.JobId == job.Id && n.State == JobNodeState.ShareSubmitted), cancellationToken);
            facts.Add(("decryptionSubset", string.Join(",", await ChooseDecryptionSubsetAsync(job, remaining, threshold, cancellationToken))));
        }
        List<AuditEntry> events = [JobEvents.Of(AuditActor.System, AuditAction.Job_NodesLeftOut, job, facts: [.. facts])];
        if (status == JobStatus.Committing)
        {
            events.Add(JobEvents.Of(AuditActor.System, AuditAction.Job_Collecting, job));
        }
        if (status == JobStatus.Collecting)
        {
            work.Add(AggregateWork, job.Id.ToString());
        }
        await audit.SaveChangesAsync(events, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        work.DispatchCommitted();
    }

    /// <summary>
    /// Drops the shares, if any, that were made for an earlier decryption subset of a t-of-N job (an upload checked
    /// against the old subset that landed after the subset changed) so that their nodes are asked again; true if it did.
    /// </summary>
    private async Task<bool> ClearSharesForAnotherSubsetAsync(Job job, List<JobNode> asked, CancellationToken cancellationToken)
    {
        var subset = asked.Select(n => n.NodeId).ToList();
        var identityKeys = await db.Nodes.Where(n => subset.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.IdentityKey, cancellationToken);
        var aggregateDigest = SHA256.HashData(job.Aggregate!);
        var stale = asked.Where(n => identityKeys.GetValueOrDefault(n.NodeId) is not { } key || !Contracts.Nodes.IdentityKeys.Verify(key,
            SignedStatements.DecryptionShare(job.Id, job.Round, job.KeySetId, n.NodeId, aggregateDigest, SHA256.HashData(n.DecryptionShare!), subset),
            n.DecryptionShareSignature ?? [])).Select(n => n.NodeId).ToList();
        if (stale.Count == 0)
        {
            return false;
        }
        await ClearSharesAsync(db.JobNodes.Where(n => n.JobId == job.Id && stale.Contains(n.NodeId)), cancellationToken);
        return true;
    }

    /// <summary>Drops the nodes' decryption shares, so that they are asked again (for the job's current decryption subset).</summary>
    private static Task<int> ClearSharesAsync(IQueryable<JobNode> nodes, CancellationToken cancellationToken) => nodes.ExecuteUpdateAsync(set => set
        .SetProperty(n => n.DecryptionShare, (byte[]?)null)
        .SetProperty(n => n.DecryptionShareSignature, (byte[]?)null)
        .SetProperty(n => n.State, JobNodeState.Contributed), cancellationToken);

    private async Task<List<string>> NodeNamesAsync(List<Guid> ids, CancellationToken cancellationToken) =>
        [.. (await db.Nodes.Where(n => ids.Contains(n.Id)).Select(n => n.Name).ToListAsync(cancellationToken)).Order(StringComparer.Ordinal)];

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
        var refund = await RefundAsync(job, cancellationToken);
        await audit.SaveChangesAsync(JobEvents.Of(AuditActor.User(userId), AuditAction.Job_Cancelled, job, facts: refund), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        JobTelemetry.JobsEnded.Add(1, new KeyValuePair<string, object?>("status", "cancelled"));
        return ToResponse(job);
    }

    public async Task<Result<JobResponse>> GetAsync(Guid jobId, Guid userId, bool isAuditor, CancellationToken cancellationToken)
    {
        var job = await JobsToRead().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
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
        var jobs = await JobsToRead().Where(j => ids.Contains(j.Id)).ToDictionaryAsync(j => j.Id, cancellationToken);
        return new Paged<JobResponse>([.. ids.Select(id => ToResponse(jobs[id]))], page.Page, page.PageSize, total);
    }

    /// <summary>
    /// Cancels the unfinished jobs of a revoked agreement at once, each with a conditional update (a job released
    /// meanwhile stays released), inside the caller's transaction; returns the events of the jobs it cancelled.
    /// </summary>
    public async Task<List<AuditEntry>> CancelForAgreementAsync(Guid agreementId, AuditActor actor, string reason, CancellationToken cancellationToken)
    {
        var ids = await db.Jobs.Where(j => j.AgreementId == agreementId).Where(JobStateMachine.IsUnfinished).Select(j => j.Id).ToListAsync(cancellationToken);
        var events = new List<AuditEntry>();
        foreach (var id in ids)
        {
            var cancelled = await Unfinished(id).ExecuteUpdateAsync(set => set
                .SetProperty(j => j.Status, JobStatus.Cancelled)
                .SetProperty(j => j.Failure, reason), cancellationToken);
            if (cancelled == 1)
            {
                var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, cancellationToken);
                events.Add(JobEvents.Of(actor, AuditAction.Job_Cancelled, job, facts: await RefundAsync(job, cancellationToken)));
                JobTelemetry.JobsEnded.Add(1, new KeyValuePair<string, object?>("status", "cancelled"));
            }
        }
        return events;
    }

    private sealed record BudgetRefusal(DomainError Error, string Rule, double Left);

    /// <summary>
    /// Charges the job's cost to its agreement and to its researcher's budget on each of its cohorts, inside the caller's
    /// transaction, each only while it stays within its limit; null when all are charged, otherwise the refusal naming
    /// what is left (the caller's transaction is then rolled back by disposing it uncommitted).
    /// </summary>
    private async Task<BudgetRefusal?> ChargeAsync(Job job, CancellationToken cancellationToken)
    {
        var cost = job.BudgetCharged;
        var agreementCharged = await db.Agreements
            .Where(a => a.Id == job.AgreementId && a.BudgetSpent + cost <= a.PrivacyBudget + DisclosurePolicy.BudgetTolerance)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.BudgetSpent, a => a.BudgetSpent + cost), cancellationToken);
        if (agreementCharged == 0)
        {
            var agreement = await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == job.AgreementId, cancellationToken);
            var left = agreement.PrivacyBudget - agreement.BudgetSpent;
            return new BudgetRefusal(JobErrors.AgreementBudgetSpent(cost, left), "agreementBudget", left);
        }
        var cap = disclosure.ResearcherCohortBudget;
        foreach (var cohortId in job.CohortIds)
        {
            var charged = await db.ResearcherCohortBudgets
                .Where(b => b.ResearcherId == job.ResearcherId && b.CohortId == cohortId && b.Spent + cost <= cap + DisclosurePolicy.BudgetTolerance)
                .ExecuteUpdateAsync(set => set.SetProperty(b => b.Spent, b => b.Spent + cost), cancellationToken);
            if (charged == 0)
            {
                var spent = await db.ResearcherCohortBudgets.Where(b => b.ResearcherId == job.ResearcherId && b.CohortId == cohortId).Select(b => b.Spent).SingleAsync(cancellationToken);
                var name = await db.Cohorts.Where(c => c.Id == cohortId).Select(c => c.Name).SingleAsync(cancellationToken);
                return new BudgetRefusal(JobErrors.ResearcherCohortBudgetSpent(name, cost, cap - spent), "researcherCohortBudget", cap - spent);
            }
        }
        return null;
    }

    /// <summary>Who asks, as the nodes are shown it: the researcher's name and the domain of their address as their organisation.</summary>
    private async Task<JobRequester> RequesterAsync(Guid agreementId, Guid researcherId, CancellationToken cancellationToken)
    {
        var researcher = await db.Users.AsNoTracking().Where(u => u.Id == researcherId).Select(u => new { u.DisplayName, u.Email }).SingleAsync(cancellationToken);
        var email = researcher.Email ?? "";
        return new JobRequester(agreementId, researcherId, researcher.DisplayName, email[(email.LastIndexOf('@') + 1)..].ToLowerInvariant());
    }

    /// <summary>
    /// Makes the researcher's budget row of each cohort that has none yet, each in its own statement outside any
    /// transaction: two first jobs racing on one cohort then see one row (the loser's insert fails on the key and is
    /// forgotten), and the charge itself can be one conditional update.
    /// </summary>
    private async Task EnsureResearcherCohortBudgetsAsync(Guid researcherId, IReadOnlyList<Guid> cohortIds, CancellationToken cancellationToken)
    {
        var known = await db.ResearcherCohortBudgets.Where(b => b.ResearcherId == researcherId && cohortIds.Contains(b.CohortId)).Select(b => b.CohortId).ToListAsync(cancellationToken);
        foreach (var cohortId in cohortIds.Except(known))
        {
            var row = db.ResearcherCohortBudgets.Add(new ResearcherCohortBudget { ResearcherId = researcherId, CohortId = cohortId });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
            {
                // Another submission made it first; its row is the one to charge.
            }
            finally
            {
                row.State = EntityState.Detached;
            }
        }
    }

    /// <summary>
    /// Gives back what the job's submission charged, inside the caller's transaction, when the job ends before any node
    /// gave a decryption share (nothing about its data can have been learnt); a model past its first round has had one
    /// decrypted. Returns the fact for the job's audit event.
    /// </summary>
    private async Task<(string Key, string? Value)[]> RefundAsync(Job job, CancellationToken cancellationToken)
    {
        var cost = job.BudgetCharged;
        if (cost <= 0 || job.Round > 0 || await db.JobNodes.AnyAsync(n => n.JobId == job.Id && n.DecryptionShare != null, cancellationToken))
        {
            return [];
        }
        await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(set => set.SetProperty(j => j.BudgetCharged, 0.0), cancellationToken);
        await db.Agreements.Where(a => a.Id == job.AgreementId)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.BudgetSpent, a => a.BudgetSpent - cost), cancellationToken);
        await db.ResearcherCohortBudgets.Where(b => b.ResearcherId == job.ResearcherId && job.CohortIds.Contains(b.CohortId))
            .ExecuteUpdateAsync(set => set.SetProperty(b => b.Spent, b => b.Spent - cost), cancellationToken);
        job.BudgetCharged = 0;
        return [("budgetRefunded", Invariant(cost))];
    }

    /// <summary>Fails the job unless a concurrent step finished it first (released, cancelled or failed stays so); refunds it when no share exists.</summary>
    private Task<bool> FailAsync(Job job, string reason, CancellationToken cancellationToken, params (string Key, string? Value)[] facts) =>
        FailAsync(job, reason, AuditActor.System, cancellationToken, facts);

    /// <returns>Whether this call failed the job (false when it had already ended).</returns>
    private async Task<bool> FailAsync(Job job, string reason, AuditActor actor, CancellationToken cancellationToken, params (string Key, string? Value)[] facts)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await Unfinished(job.Id).ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, JobStatus.Failed).SetProperty(j => j.Failure, reason), cancellationToken) == 0)
        {
            return false;
        }
        job.Status = JobStatus.Failed;
        job.Failure = reason;
        var refund = await RefundAsync(job, cancellationToken);
        await audit.SaveChangesAsync(JobEvents.Of(actor, AuditAction.Job_Failed, job, facts: [("reason", reason), .. facts, .. refund]), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        JobTelemetry.JobsEnded.Add(1, new KeyValuePair<string, object?>("status", "failed"));
        return true;
    }

    /// <summary>
    /// A participant node refuses the task of the job's current round by one of its own checks: the job fails at once,
    /// naming the node and its reason, instead of collecting until the deadline (and the budget is given back when no
    /// decryption share exists yet). A node of another job gets 404; a refusal of an earlier round, or of an ended job, 409.
    /// </summary>
    public async Task<Result<NodeJobResponse>> RefuseAsync(Guid jobId, Guid nodeId, JobRefusal refusal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var job = await Jobs().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        var node = job?.Nodes.SingleOrDefault(n => n.NodeId == nodeId);
        if (job is null || node is null)
        {
            return JobErrors.NotFound(jobId);
        }
        var errors = new FieldErrors();
        var reason = Text.Required(refusal.Reason, "reason", 1, JobRefusal.MaxReason, errors);
        if (refusal.Round is not >= 0)
        {
            errors.Add("round", "round must be the round of the refused task (0 or more).");
        }
        if (refusal.Rule is { } rule && (rule.Length is 0 or > JobRefusal.MaxRule || !rule.All(c => char.IsAsciiLetterOrDigit(c) || c == '.')))
        {
            errors.Add("rule", $"rule, when given, is the key of the node policy's rule: letters, digits and dots, at most {JobRefusal.MaxRule}.");
        }
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        if (refusal.Round != job.Round)
        {
            return JobErrors.OtherRound(job.Round);
        }
        var name = await db.Nodes.Where(n => n.Id == nodeId).Select(n => n.Name).SingleAsync(cancellationToken);
        if (await LeaveOutRefusingAsync(job, node, refusal, reason!, cancellationToken))
        {
            return new NodeJobResponse(jobId, job.Status.ToString().ToLowerInvariant(), node.State.ToString().ToLowerInvariant());
        }
        if (!await FailAsync(job, $"Node {name} refused the job: {reason}", AuditActor.Node(nodeId), cancellationToken,
                ("refusedBy", nodeId.ToString()), ("round", job.Round.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("rule", refusal.Rule)))
        {
            return JobErrors.Finished(await db.Jobs.Where(j => j.Id == jobId).Select(j => j.Status).SingleAsync(cancellationToken));
        }
        return new NodeJobResponse(jobId, JobStatus.Failed.ToString().ToLowerInvariant(), node.State.ToString().ToLowerInvariant());
    }

    /// <summary>
    /// Under a t-of-N key set a job may go on without some of its participants: a node that refuses its first commitment
    /// is left out, as a late one would be, while at least the job's fewest contributors remain; the job then moves on
    /// once every other node has committed. At any later step, or with too few left, a refusal fails the job.
    /// </summary>
    /// <returns>Whether the node was left out (false: the job is to fail).</returns>
    private async Task<bool> LeaveOutRefusingAsync(Job job, JobNode node, JobRefusal refusal, string reason, CancellationToken cancellationToken)
    {
        if (job.MinContributors is not { } least || job.Round != 0 || job.Status != JobStatus.Committing || node.Commitment is not null || !node.IsAsked
            || job.Nodes.Count(n => n.IsAsked && n.NodeId != node.NodeId) < least)
        {
            return false;
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The job's row lock orders refusals of one job: the count below then sees the one committed before.
            await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(set => set.SetProperty(j => j.Round, j => j.Round), cancellationToken);
            var left = await db.JobNodes
                .Where(n => n.JobId == job.Id && n.NodeId == node.NodeId && n.Missed == null && n.Commitment == null
                    && db.Jobs.Any(j => j.Id == job.Id && j.Status == JobStatus.Committing && j.Round == 0))
                .ExecuteUpdateAsync(set => set.SetProperty(n => n.Missed, JobSteps.Refused), cancellationToken);
            // Counted again under the lock: two nodes refusing at once must not both be left out below the fewest.
            if (left == 0 || await db.JobNodes.CountAsync(n => n.JobId == job.Id && n.Missed == null && !n.StandsBy, cancellationToken) < least)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
            await audit.SaveChangesAsync(JobEvents.Of(AuditActor.Node(node.NodeId), AuditAction.Job_NodesLeftOut, job, facts:
                [("step", JobSteps.Refused), ("nodes", node.NodeId.ToString()), ("reason", reason), ("rule", refusal.Rule)]), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await uploads.AfterLeftOutAsync(job, cancellationToken);
        return true;
    }

    private IQueryable<Job> Unfinished(Guid jobId) => db.Jobs.Where(j => j.Id == jobId).Where(JobStateMachine.IsUnfinished);

    private Task<string> KeySetParametersAsync(Job job, CancellationToken cancellationToken) =>
        db.KeySets.Where(k => k.Id == job.KeySetId).Select(k => k.Parameters).SingleAsync(cancellationToken);

    /// <summary>Contributions in node order (<see cref="JobManifest.Participants"/>), the order the platform and the nodes sum them in.</summary>
    private static IEnumerable<byte[]> OrderedContributions(IEnumerable<JobNode> nodes) => nodes.Where(n => n.Contribution is not null).OrderBy(n => n.NodeId).Select(n => n.Contribution!);

    private async Task<bool> MayReadAsync(Job job, Guid userId, bool isAuditor, CancellationToken cancellationToken) =>
        isAuditor || job.ResearcherId == userId
        || await db.CohortStewards.AnyAsync(s => s.UserId == userId && job.CohortIds.Contains(s.CohortId), cancellationToken);

    private IQueryable<Job> Jobs() => db.Jobs.Include(j => j.Nodes);

    /// <summary>
    /// Jobs as their readers see them (<see cref="ToResponse"/>, <see cref="MayReadAsync"/>): without the aggregate and the
    /// nodes' uploads, which run to megabytes a job while a researcher polls it every few hundred milliseconds.
    /// </summary>
    private IQueryable<Job> JobsToRead() => db.Jobs.AsNoTracking().Select(j => new Job
    {
        Id = j.Id, AgreementId = j.AgreementId, KeySetId = j.KeySetId, ResearcherId = j.ResearcherId, CohortIds = j.CohortIds,
        Filter = j.Filter, Aggregation = j.Aggregation, Status = j.Status, Failure = j.Failure, CreatedAt = j.CreatedAt,
        Model = j.Model, Round = j.Round, Result = j.Result,
        Nodes = j.Nodes.Select(n => new JobNode { JobId = n.JobId, NodeId = n.NodeId, State = n.State, Missed = n.Missed }).ToList(),
    });

    private static string Invariant(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static JobResponse ToResponse(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobResponse(job.Id, job.Status.ToString().ToLowerInvariant(), job.AgreementId, job.KeySetId, job.CohortIds,
            JsonSerializer.Deserialize<AggregationSpec>(job.Aggregation, DragonJson.Options)!,
            JsonSerializer.Deserialize<List<FilterCondition>>(job.Filter, DragonJson.Options) ?? [],
            [.. job.Nodes.OrderBy(n => n.NodeId).Select(n => new JobNodeResponse(n.NodeId, n.State.ToString().ToLowerInvariant(), n.Missed))],
            job.Result is null ? null : JsonSerializer.Deserialize<JobResult>(job.Result, DragonJson.Options),
            job.Failure, job.CreatedAt, job.Model is null ? null : job.Round + 1);
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
