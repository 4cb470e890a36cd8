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
    DragonDbContext db, WorkQueue work, AuditTrail audit, DisclosurePolicy disclosure, TimeProvider time, JobOptions options)
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
        var unfinished = await db.Jobs.Where(j => j.AgreementId == agreement.Id).CountAsync(IsUnfinished, cancellationToken);
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
        db.Jobs.Add(job);
        work.Add(StartWork, job.Id.ToString());
        await audit.SaveChangesAsync(Event(AuditActor.User(researcherId), AuditAction.Job_Submitted, job, agreement.Purpose), cancellationToken);
        work.DispatchCommitted();
        return ToResponse(job);
    }

    /// <summary>Publishes the job's tasks to its nodes (queued to collecting).</summary>
    public async Task StartAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var started = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, JobStatus.Collecting), cancellationToken);
        if (started == 0)
        {
            return;
        }
        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken);
        await audit.SaveChangesAsync(Event(AuditActor.System, AuditAction.Job_Collecting, job), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A node's encrypted local vector; the same bytes again are accepted once; the last one starts the sum.</summary>
    public Task<Result<NodeJobResponse>> ContributeAsync(Guid jobId, Guid nodeId, ContributionUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return UploadAsync(jobId, nodeId, upload.Ciphertext, Contribution, cancellationToken);
    }

    /// <summary>A node's decryption share of the aggregate: one party's share covering every part of it.</summary>
    public Task<Result<NodeJobResponse>> ShareAsync(Guid jobId, Guid nodeId, DecryptionShareUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return UploadAsync(jobId, nodeId, upload.Share, Share, cancellationToken);
    }

    /// <summary>What distinguishes the two uploads a node makes to a job.</summary>
    private sealed record Upload(
        string Field,
        Func<Job, EncryptionParameters, long> MaxBytes,
        Func<Job, EncryptionParameters, byte[], string?> Problem,
        System.Linq.Expressions.Expression<Func<JobNode, byte[]?>> Slot,
        System.Linq.Expressions.Expression<Func<JobNode, bool>> Empty,
        JobStatus Status,
        JobNodeState NodeState,
        AuditAction Action,
        JobStatus Next,
        string NextWork)
    {
        public Func<JobNode, byte[]?> Stored { get; } = Slot.Compile();
    }

    private static readonly Upload Contribution = new(
        "ciphertext",
        (job, parameters) => CiphertextVector.MaxBinarySize(parameters, job.VectorLength),
        (job, parameters, bytes) => CiphertextVector.ReadFrom(bytes, parameters).Length == job.VectorLength ? null : "ciphertext does not have the job's vector length.",
        n => n.Contribution, n => n.Contribution == null,
        JobStatus.Collecting, JobNodeState.Contributed, AuditAction.Job_ContributionReceived, JobStatus.Aggregating, AggregateWork);

    private static readonly Upload Share = new(
        "share",
        (job, parameters) => DecryptionShare.BinarySizeFor(parameters, AggregateParts(job, parameters)),
        (job, parameters, bytes) => DecryptionShare.ReadFrom(bytes, parameters) is { PartyCount: 1 } share && share.PartCount == AggregateParts(job, parameters)
            ? null
            : "share must be one node's share covering every part of the job's aggregate.",
        n => n.DecryptionShare, n => n.DecryptionShare == null,
        JobStatus.Decrypting, JobNodeState.ShareSubmitted, AuditAction.Job_DecryptionShareReceived, JobStatus.Decrypting, ReleaseWork);

    /// <summary>
    /// Checks in order of cost: the size before decoding, a repeated upload against the stored bytes, the job's step,
    /// then the parsed value. The slot is filled only while empty and while the job is at that step, so neither a
    /// concurrent upload nor a late one can replace what the sum or the release already read.
    /// </summary>
    private async Task<Result<NodeJobResponse>> UploadAsync(Guid jobId, Guid nodeId, string? base64, Upload upload, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        var node = await db.JobNodes.AsNoTracking().SingleOrDefaultAsync(n => n.JobId == jobId && n.NodeId == nodeId, cancellationToken);
        if (job is null || node is null)
        {
            return JobErrors.NotFound(jobId);
        }
        var parameters = EncryptionParameters.FromPreset(await KeySetParametersAsync(job, cancellationToken));
        var maxBytes = upload.MaxBytes(job, parameters);
        var tooLong = JobErrors.InvalidUpload(upload.Field, $"{upload.Field} is required and at most {maxBytes} bytes for this job.");
        if (base64 is null || base64.Length > (maxBytes + 2) / 3 * 4)
        {
            return tooLong;
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return JobErrors.InvalidUpload(upload.Field, $"{upload.Field} is not base64.");
        }
        if (bytes.Length > maxBytes)
        {
            return tooLong;
        }
        if (upload.Stored(node) is { } stored)
        {
            return Repeated(stored, bytes, job, node);
        }
        if (job.Status != upload.Status)
        {
            return JobErrors.WrongStep(job.Status, upload.Field);
        }
        try
        {
            if (upload.Problem(job, parameters, bytes) is { } problem)
            {
                return JobErrors.InvalidUpload(upload.Field, problem);
            }
        }
        catch (InvalidFormatException exception)
        {
            return JobErrors.InvalidUpload(upload.Field, $"{upload.Field} is malformed: {exception.Message}");
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var filled = await db.JobNodes
                .Where(n => n.JobId == jobId && n.NodeId == nodeId && db.Jobs.Any(j => j.Id == jobId && j.Status == upload.Status))
                .Where(upload.Empty)
                .ExecuteUpdateAsync(set => set.SetProperty(upload.Slot, bytes).SetProperty(n => n.State, upload.NodeState), cancellationToken);
            if (filled == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await RaceOutcomeAsync(jobId, nodeId, bytes, upload, cancellationToken);
            }
            await audit.SaveChangesAsync(Event(AuditActor.Node(nodeId), upload.Action, job, facts: ("sha256", Sha256(bytes))), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await WhenAllAreInAsync(jobId, upload.Empty, upload.Status, upload.Next, upload.NextWork, cancellationToken);
        return await NodeResponseAsync(jobId, nodeId, cancellationToken);
    }

    /// <summary>What a concurrent request left when this upload could not fill its slot.</summary>
    private async Task<Result<NodeJobResponse>> RaceOutcomeAsync(Guid jobId, Guid nodeId, byte[] bytes, Upload upload, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken);
        var node = await db.JobNodes.AsNoTracking().SingleAsync(n => n.JobId == jobId && n.NodeId == nodeId, cancellationToken);
        return upload.Stored(node) is { } stored ? Repeated(stored, bytes, job, node) : JobErrors.WrongStep(job.Status, upload.Field);
    }

    /// <summary>An upload to a filled slot: the same bytes again are accepted, different ones refused.</summary>
    private static Result<NodeJobResponse> Repeated(byte[] stored, byte[] bytes, Job job, JobNode node) =>
        stored.AsSpan().SequenceEqual(bytes) ? ToNodeResponse(job, node) : JobErrors.AlreadyUploaded();

    private async Task<Result<NodeJobResponse>> NodeResponseAsync(Guid jobId, Guid nodeId, CancellationToken cancellationToken) =>
        ToNodeResponse(await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken),
            await db.JobNodes.AsNoTracking().SingleAsync(n => n.JobId == jobId && n.NodeId == nodeId, cancellationToken));

    /// <summary>What a node may know of a job it takes part in: the step and its own state, never the result.</summary>
    private static NodeJobResponse ToNodeResponse(Job job, JobNode node) =>
        new(job.Id, job.Status.ToString().ToLowerInvariant(), node.State.ToString().ToLowerInvariant());

    /// <summary>How many ciphertexts the job's aggregate has, so how many parts a decryption share covers.</summary>
    private static int AggregateParts(Job job, EncryptionParameters parameters) =>
        CiphertextVector.PartCountFor(job.VectorLength, parameters.PolyModulusDegree);

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
            .SetProperty(j => j.Status, JobStatus.Decrypting), cancellationToken);
        if (moved == 0)
        {
            return;
        }
        (job.Aggregate, job.Status) = (aggregate, JobStatus.Decrypting);
        await audit.SaveChangesAsync(Event(AuditActor.System, AuditAction.Job_Aggregated, job, facts: ("sha256", Sha256(aggregate))), cancellationToken);
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
            .SetProperty(j => j.Status, JobStatus.Released), cancellationToken);
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
        await audit.SaveChangesAsync(Event(AuditActor.System, AuditAction.Job_Released, job,
            facts: [("suppressedCells", result.Cells.Count(c => c.Suppressed).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("budgetCharged", cost.ToString(System.Globalization.CultureInfo.InvariantCulture))]), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The variables the job was laid out with at submission (for older jobs, the cohorts' current ones).</summary>
    private async Task<Dictionary<string, LayoutVariable>> LayoutVariablesAsync(Job job, CancellationToken cancellationToken)
    {
        if (SubmittedVariables(job) is { } submitted)
        {
            return submitted.ToDictionary(v => v.Name, StringComparer.Ordinal);
        }
        return JobRequestValidator.Variables(await db.Cohorts.AsNoTracking().Where(c => job.CohortIds.Contains(c.Id)).ToListAsync(cancellationToken));
    }

    /// <summary>The variables as they were when the job was submitted; null for jobs stored before they were kept.</summary>
    private static List<LayoutVariable>? SubmittedVariables(Job job) =>
        job.LayoutVariables is null ? null : JsonSerializer.Deserialize<List<LayoutVariable>>(job.LayoutVariables, DragonJson.Options);

    /// <summary>Fails every unfinished job past its deadline, naming the nodes it still waits for.</summary>
    public async Task<int> EnforceDeadlinesAsync(CancellationToken cancellationToken)
    {
        var now = Clock.UtcNow(time);
        var late = await Jobs().Where(j => (j.Status == JobStatus.Collecting || j.Status == JobStatus.Decrypting) && j.Deadline < now).ToListAsync(cancellationToken);
        foreach (var job in late)
        {
            var waiting = job.Nodes.Where(n => job.Status == JobStatus.Collecting ? n.Contribution is null : n.DecryptionShare is null).Select(n => n.NodeId).ToList();
            var names = await db.Nodes.Where(n => waiting.Contains(n.Id)).Select(n => n.Name).ToListAsync(cancellationToken);
            await FailAsync(job, $"Node {string.Join(", ", names.Order())} missed the deadline ({(job.Status == JobStatus.Collecting ? "contribution" : "decryption share")}).", cancellationToken);
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
        await audit.SaveChangesAsync(Event(AuditActor.User(userId), AuditAction.Job_Cancelled, job), cancellationToken);
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
    /// The contribution and decryption-share tasks a node owes. Nodes poll this every few seconds, so the stored
    /// ciphertexts are read only for the decryption tasks that carry them.
    /// </summary>
    public async Task<IReadOnlyList<NodeTask>> TasksAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => (j.Status == JobStatus.Collecting && j.Nodes.Any(n => n.NodeId == nodeId && n.Contribution == null))
                || (j.Status == JobStatus.Decrypting && j.Nodes.Any(n => n.NodeId == nodeId && n.DecryptionShare == null)))
            .OrderBy(j => j.CreatedAt)
            .ToListAsync(cancellationToken);
        var jobIds = jobs.Select(j => j.Id).ToList();
        var participants = await db.JobNodes.Where(n => jobIds.Contains(n.JobId)).GroupBy(n => n.JobId)
            .ToDictionaryAsync(g => g.Key, g => g.Count(), cancellationToken);
        var keySetIds = jobs.Select(j => j.KeySetId).Distinct().ToList();
        var keySets = await db.KeySets.AsNoTracking().Where(k => keySetIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, cancellationToken);
        var agreementIds = jobs.Select(j => j.AgreementId).Distinct().ToList();
        var purposes = await db.Agreements.Where(a => agreementIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Purpose, cancellationToken);
        var ownCohorts = (await db.Cohorts.Where(c => c.NodeId == nodeId).Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
        var tasks = new List<NodeTask>();
        foreach (var job in jobs)
        {
            var keySet = keySets[job.KeySetId];
            var spec = new JobTaskSpec([.. job.CohortIds.Where(ownCohorts.Contains)], purposes[job.AgreementId],
                JsonSerializer.Deserialize<List<FilterCondition>>(job.Filter, DragonJson.Options) ?? [],
                JsonSerializer.Deserialize<AggregationSpec>(job.Aggregation, DragonJson.Options)!,
                job.VectorLength, job.DecimalPlaces, participants[job.Id], SubmittedVariables(job));
            var seed = Convert.ToBase64String(keySet.CommonSeed);
            if (job.Status == JobStatus.Collecting)
            {
                tasks.Add(new NodeTask("contribution", keySet.Id, keySet.Parameters, seed, job.Id, spec));
            }
            else
            {
                var nodes = await db.JobNodes.Where(n => n.JobId == job.Id)
                    .Select(n => new JobNode { JobId = n.JobId, NodeId = n.NodeId, Contribution = n.Contribution })
                    .ToListAsync(cancellationToken);
                tasks.Add(new NodeTask("decryptionShare", keySet.Id, keySet.Parameters, seed, job.Id, spec,
                    [.. OrderedContributions(nodes).Select(Convert.ToBase64String)], Convert.ToBase64String(job.Aggregate!)));
            }
        }
        return tasks;
    }

    /// <summary>
    /// Cancels the unfinished jobs of a revoked agreement at once, each with a conditional update (a job released
    /// meanwhile stays released), inside the caller's transaction; returns the events of the jobs it cancelled.
    /// </summary>
    public async Task<List<AuditEntry>> CancelForAgreementAsync(Guid agreementId, AuditActor actor, CancellationToken cancellationToken)
    {
        var ids = await db.Jobs.Where(j => j.AgreementId == agreementId).Where(IsUnfinished).Select(j => j.Id).ToListAsync(cancellationToken);
        var events = new List<AuditEntry>();
        foreach (var id in ids)
        {
            var cancelled = await Unfinished(id).ExecuteUpdateAsync(set => set
                .SetProperty(j => j.Status, JobStatus.Cancelled)
                .SetProperty(j => j.Failure, "The agreement was revoked."), cancellationToken);
            if (cancelled == 1)
            {
                events.Add(Event(actor, AuditAction.Job_Cancelled, await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, cancellationToken)));
            }
        }
        return events;
    }

    /// <summary>
    /// Moves the job on once no node is <paramref name="missing"/> any more. Runs after the upload committed, on
    /// fresh rows, so the last of several concurrent uploads always sees them all; the conditional update lets
    /// only one of them move the job (a step that keeps the status may run twice: its work is reentrant).
    /// </summary>
    private async Task WhenAllAreInAsync(
        Guid jobId, System.Linq.Expressions.Expression<Func<JobNode, bool>> missing, JobStatus from, JobStatus to, string workKind, CancellationToken cancellationToken)
    {
        if (await db.JobNodes.Where(n => n.JobId == jobId).AnyAsync(missing, cancellationToken))
        {
            return;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.Jobs.Where(j => j.Id == jobId && j.Status == from).ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, to), cancellationToken);
        if (moved == 0)
        {
            return;
        }
        work.Add(workKind, jobId.ToString());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        work.DispatchCommitted();
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
        await audit.SaveChangesAsync(Event(AuditActor.System, AuditAction.Job_Failed, job, facts: ("reason", reason)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Job, bool>> IsUnfinished =
        j => j.Status != JobStatus.Released && j.Status != JobStatus.Failed && j.Status != JobStatus.Cancelled;

    private IQueryable<Job> Unfinished(Guid jobId) => db.Jobs.Where(j => j.Id == jobId).Where(IsUnfinished);

    private Task<string> KeySetParametersAsync(Job job, CancellationToken cancellationToken) =>
        db.KeySets.Where(k => k.Id == job.KeySetId).Select(k => k.Parameters).SingleAsync(cancellationToken);

    /// <summary>Contributions in node order (ordered here, not by a database: each orders GUIDs its own way), the order the platform and the nodes sum them in.</summary>
    private static IEnumerable<byte[]> OrderedContributions(IEnumerable<JobNode> nodes) => nodes.OrderBy(n => n.NodeId).Select(n => n.Contribution!);

    private async Task<bool> MayReadAsync(Job job, Guid userId, bool isAuditor, CancellationToken cancellationToken) =>
        isAuditor || job.ResearcherId == userId
        || await db.CohortStewards.AnyAsync(s => s.UserId == userId && job.CohortIds.Contains(s.CohortId), cancellationToken);

    private IQueryable<Job> Jobs() => db.Jobs.Include(j => j.Nodes);

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static AuditEntry Event(AuditActor actor, AuditAction action, Job job, string? purpose = null, params (string Key, string? Value)[] facts) =>
        new(actor, action, "Job", job.Id.ToString(),
            AuditFacts.Of([("status", job.Status.ToString()), ("agreementId", job.AgreementId.ToString()), .. facts]), Purpose: purpose);

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

    /// <summary>Hangfire cron of the deadline check: every minute by default; six fields for seconds.</summary>
    public string DeadlineCheck { get; set; } = "* * * * *";
}
