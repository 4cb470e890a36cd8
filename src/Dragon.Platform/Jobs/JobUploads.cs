using System.Linq.Expressions;
using System.Security.Cryptography;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Nodes;
using Dragon.Homomorphic;
using Dragon.Platform.Audit;
using Dragon.Platform.BackgroundWork;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Jobs;

/// <summary>
/// What nodes upload to a job, one round at a time: a signed commitment to their ciphertext, then (once every
/// participant has committed) the ciphertext that matches it, then a signed decryption share of the sum. Every upload
/// is untrusted input; each fills its node's slot once, and the last one of a round moves the job on
/// (<see cref="JobStateMachine"/>).
/// </summary>
public sealed class JobUploads(DragonDbContext db, WorkQueue work, AuditTrail audit, AuditReceipts receipts)
{
    public Task<Result<NodeJobResponse>> CommitAsync(Guid jobId, Guid nodeId, CommitmentUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return UploadAsync(jobId, nodeId, _ => HexDigest(upload.Digest), upload.Signature, Commitment, cancellationToken);
    }

    /// <summary>A node's encrypted local vector, which must be the ciphertext it committed to; the last one starts the sum.</summary>
    public Task<Result<NodeJobResponse>> ContributeAsync(Guid jobId, Guid nodeId, ContributionUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return UploadAsync(jobId, nodeId, maxBytes => BoundedBase64.Decode(upload.Ciphertext, maxBytes), null, Contribution, cancellationToken);
    }

    /// <summary>The same upload with the ciphertext as the request's bytes (<c>application/octet-stream</c>), not base64 in JSON.</summary>
    public Task<Result<NodeJobResponse>> ContributeAsync(Guid jobId, Guid nodeId, byte[] ciphertext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        return UploadAsync(jobId, nodeId, maxBytes => ciphertext.Length > 0 && ciphertext.Length <= maxBytes ? ciphertext : null, null, Contribution, cancellationToken);
    }

    /// <summary>A node's signed decryption share of the aggregate: one party's share covering every part of it.</summary>
    public Task<Result<NodeJobResponse>> ShareAsync(Guid jobId, Guid nodeId, DecryptionShareUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return UploadAsync(jobId, nodeId, maxBytes => BoundedBase64.Decode(upload.Share, maxBytes), upload.Signature, Share, cancellationToken);
    }

    /// <summary>What an upload's checks see: the job, the node's row, the decoded bytes and, for a commitment, the manifest's digest.</summary>
    /// <param name="Subset">For a decryption share of a t-of-N job, the decryption subset it is for.</param>
    /// <param name="Slots">The plaintext slots of the job's vector (its numbers times their limbs, <see cref="Dragon.Contracts.Jobs.SlotLimbs"/>).</param>
    private sealed record UploadCheck(Job Job, JobNode Node, EncryptionParameters Parameters, int Slots, byte[] Bytes, byte[]? ManifestDigest, IReadOnlyList<Guid>? Subset);

    /// <summary>What distinguishes the three uploads a node makes to a job.</summary>
    /// <param name="Statement">What the node's signature must cover; null for an upload that is not signed (the contribution, bound by its commitment).</param>
    /// <param name="Moved">The audit event of the job's move when the last node's upload is in, if the move has one of its own.</param>
    private sealed record Upload(
        string Field,
        Func<int, EncryptionParameters, long> MaxBytes,
        bool IsHexDigest,
        Func<UploadCheck, string?> Problem,
        Func<UploadCheck, byte[]>? Statement,
        Expression<Func<JobNode, byte[]?>> Slot,
        Expression<Func<JobNode, byte[]?>>? SignatureSlot,
        Expression<Func<JobNode, bool>> Empty,
        JobStatus Status,
        JobNodeState NodeState,
        AuditAction Action,
        JobStatus Next,
        string? NextWork,
        AuditAction? Moved)
    {
        public Func<JobNode, byte[]?> Stored { get; } = Slot.Compile();
    }

    private static readonly Upload Commitment = new(
        "digest",
        (_, _) => SHA256.HashSizeInBytes,
        IsHexDigest: true,
        _ => null,
        check => SignedStatements.Commitment(check.Job.Id, check.Job.Round, check.Job.KeySetId, check.Node.NodeId, check.ManifestDigest!, check.Bytes),
        n => n.Commitment, n => n.CommitmentSignature, n => n.Commitment == null,
        JobStatus.Committing, JobNodeState.Committed, AuditAction.Job_CommitmentReceived,
        JobStateMachine.Next[JobStatus.Committing], null, AuditAction.Job_Collecting);

    private static readonly Upload Contribution = new(
        "ciphertext",
        (slots, parameters) => CiphertextVector.MaxBinarySize(parameters, slots),
        IsHexDigest: false,
        check => !SHA256.HashData(check.Bytes).AsSpan().SequenceEqual(check.Node.Commitment)
            ? "ciphertext is not the one this node committed to (its SHA-256 differs from the commitment)."
            : CiphertextVector.ReadFrom(check.Bytes, check.Parameters).Length == check.Slots ? null : "ciphertext does not have the job's vector length.",
        null,
        n => n.Contribution, null, n => n.Contribution == null,
        JobStatus.Collecting, JobNodeState.Contributed, AuditAction.Job_ContributionReceived,
        JobStateMachine.Next[JobStatus.Collecting], JobEngine.AggregateWork, null);

    private static readonly Upload Share = new(
        "share",
        (slots, parameters) => DecryptionShare.BinarySizeFor(parameters, CiphertextVector.PartCountFor(slots, parameters.PolyModulusDegree)),
        IsHexDigest: false,
        check => DecryptionShare.ReadFrom(check.Bytes, check.Parameters) is { PartyCount: 1 } share && share.PartCount == CiphertextVector.PartCountFor(check.Slots, check.Parameters.PolyModulusDegree)
            ? null
            : "share must be one node's share covering every part of the job's aggregate.",
        check => SignedStatements.DecryptionShare(check.Job.Id, check.Job.Round, check.Job.KeySetId, check.Node.NodeId, SHA256.HashData(check.Job.Aggregate!), SHA256.HashData(check.Bytes), check.Subset),
        n => n.DecryptionShare, n => n.DecryptionShareSignature, n => n.DecryptionShare == null,
        JobStatus.Decrypting, JobNodeState.ShareSubmitted, AuditAction.Job_DecryptionShareReceived,
        JobStatus.Decrypting, JobEngine.ReleaseWork, null);

    /// <summary>
    /// Checks in order of cost: the size before decoding, a repeated upload against the stored bytes, the job's step,
    /// the parsed value, then the signature. The slot is filled only while empty and while the job is at that step, so
    /// neither a concurrent upload nor a late one can replace what the next step already read.
    /// </summary>
    /// <param name="decode">The upload's bytes, given the most this job allows; null when they are missing, malformed or larger.</param>
    private async Task<Result<NodeJobResponse>> UploadAsync(Guid jobId, Guid nodeId, Func<long, byte[]?> decode, string? signatureText, Upload upload, CancellationToken cancellationToken)
    {
        using var activity = JobTelemetry.Source.StartActivity($"job.upload.{upload.Field}");
        activity?.SetTag(JobTelemetry.JobIdTag, jobId.ToString());
        activity?.SetTag(JobTelemetry.NodeIdTag, nodeId.ToString());
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        var node = await db.JobNodes.AsNoTracking().SingleOrDefaultAsync(n => n.JobId == jobId && n.NodeId == nodeId, cancellationToken);
        if (job is null || node is null)
        {
            return JobErrors.NotFound(jobId);
        }
        var keySet = await db.KeySets.Where(k => k.Id == job.KeySetId).Select(k => new { k.Parameters, Members = k.Members.Count }).SingleAsync(cancellationToken);
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        var aggregation = JsonSerializer.Deserialize<AggregationSpec>(job.Aggregation, DragonJson.Options)!;
        var slots = JobManifest.Limbs(parameters, keySet.Members, aggregation.Kind).SlotsFor(job.VectorLength);
        var maxBytes = upload.MaxBytes(slots, parameters);
        var bytes = decode(maxBytes);
        if (bytes is not null)
        {
            JobTelemetry.UploadSize.Record(bytes.LongLength, new KeyValuePair<string, object?>("upload", upload.Field));
        }
        if (bytes is null)
        {
            return JobErrors.InvalidUpload(upload.Field, upload.IsHexDigest
                ? $"{upload.Field} is required: the lowercase hex SHA-256 of the ciphertext."
                : $"{upload.Field} is required, base64{(upload == Contribution ? " (or the bytes themselves as application/octet-stream)" : "")}, and at most {maxBytes} bytes for this job.");
        }
        if (upload.Stored(node) is { } stored)
        {
            return Repeated(stored, bytes, job, node);
        }
        if (job.Status != upload.Status)
        {
            return JobErrors.WrongStep(job.Status, upload.Field);
        }
        if (!node.IsAsked)
        {
            return JobErrors.NotAsked(node);
        }
        var manifestDigest = upload == Commitment ? await ManifestDigestAsync(job, cancellationToken) : null;
        var subset = upload == Share && job.MinContributors is not null ? await DecryptionSubsetAsync(job.Id, cancellationToken) : null;
        var check = new UploadCheck(job, node, parameters, slots, bytes, manifestDigest, subset);
        try
        {
            if (upload.Problem(check) is { } problem)
            {
                return JobErrors.InvalidUpload(upload.Field, problem);
            }
        }
        catch (InvalidFormatException exception)
        {
            return JobErrors.InvalidUpload(upload.Field, $"{upload.Field} is malformed: {exception.Message}");
        }
        var signature = IdentityKeys.DecodeSignature(signatureText);
        if (upload.Statement is not null)
        {
            var identityKey = await db.Nodes.Where(n => n.Id == nodeId).Select(n => n.IdentityKey).SingleAsync(cancellationToken);
            if (signature is null || identityKey is null || !IdentityKeys.Verify(identityKey, upload.Statement(check), signature))
            {
                return JobErrors.InvalidUpload("signature", $"signature must be base64 of this node's identity-key signature over its {upload.Field} statement for this job.");
            }
        }

        AuditLink link;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var filled = await db.JobNodes
                .Where(n => n.JobId == jobId && n.NodeId == nodeId && n.Missed == null && !n.StandsBy && db.Jobs.Any(j => j.Id == jobId && j.Status == upload.Status && j.Round == job.Round))
                .Where(upload.Empty)
                .ExecuteUpdateAsync(set =>
                {
                    set.SetProperty(upload.Slot, bytes).SetProperty(n => n.State, upload.NodeState);
                    if (upload.SignatureSlot is not null)
                    {
                        set.SetProperty(upload.SignatureSlot, signature);
                    }
                }, cancellationToken);
            if (filled == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await RaceOutcomeAsync(jobId, nodeId, bytes, upload, cancellationToken);
            }
            link = await audit.SaveChangesAsync(JobEvents.Of(AuditActor.Node(nodeId), upload.Action, job, facts: ("sha256", Convert.ToHexStringLower(upload.IsHexDigest ? bytes : SHA256.HashData(bytes)))), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await WhenAllAreInAsync(job, upload, cancellationToken);
        return await NodeResponseAsync(jobId, nodeId, cancellationToken) with { Receipt = receipts.For(link) };
    }

    /// <summary>The digest of the manifest the job's nodes are shown (<see cref="JobManifest"/>), which their commitments sign.</summary>
    private async Task<byte[]> ManifestDigestAsync(Job job, CancellationToken cancellationToken)
    {
        var purpose = await db.Agreements.Where(a => a.Id == job.AgreementId).Select(a => a.Purpose).SingleAsync(cancellationToken);
        var nodes = await db.JobNodes.Where(n => n.JobId == job.Id).Select(n => new JobNode { JobId = n.JobId, NodeId = n.NodeId, Missed = n.Missed }).ToListAsync(cancellationToken);
        return JobManifests.Digest(JobManifest.For(job, purpose, JobManifest.Participants(job, nodes)));
    }

    /// <summary>The nodes asked for decryption shares of a t-of-N job now, in node order: the subset their shares are for.</summary>
    public async Task<List<Guid>> DecryptionSubsetAsync(Guid jobId, CancellationToken cancellationToken) =>
        JobManifest.Participants(await db.JobNodes.Where(n => n.JobId == jobId && n.Contribution != null && n.Missed == null && !n.StandsBy)
            .Select(n => n.NodeId).ToListAsync(cancellationToken));

    private static byte[]? HexDigest(string? text) =>
        text is { Length: 64 } && text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')) ? Convert.FromHexString(text) : null;

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

    private async Task<NodeJobResponse> NodeResponseAsync(Guid jobId, Guid nodeId, CancellationToken cancellationToken) =>
        ToNodeResponse(await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken),
            await db.JobNodes.AsNoTracking().SingleAsync(n => n.JobId == jobId && n.NodeId == nodeId, cancellationToken));

    /// <summary>What a node may know of a job it takes part in: the step and its own state, never the result.</summary>
    private static NodeJobResponse ToNodeResponse(Job job, JobNode node) =>
        new(job.Id, job.Status.ToString().ToLowerInvariant(), node.State.ToString().ToLowerInvariant());

    /// <summary>After a node was left out of the commitment step: the job moves on if every other node has committed.</summary>
    public Task AfterLeftOutAsync(Job job, CancellationToken cancellationToken) => WhenAllAreInAsync(job, Commitment, cancellationToken);

    /// <summary>
    /// Moves the job on once no node's slot for this upload is empty any more. Runs after the upload committed, on
    /// fresh rows, so the last of several concurrent uploads always sees them all; the conditional update lets only
    /// one of them move the job (a step that keeps the status may run twice: its work is reentrant).
    /// </summary>
    private async Task WhenAllAreInAsync(Job job, Upload upload, CancellationToken cancellationToken)
    {
        if (await db.JobNodes.Where(n => n.JobId == job.Id && n.Missed == null && !n.StandsBy).AnyAsync(upload.Empty, cancellationToken))
        {
            return;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.Jobs.Where(j => j.Id == job.Id && j.Status == upload.Status && j.Round == job.Round)
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, upload.Next), cancellationToken);
        if (moved == 0)
        {
            return;
        }
        if (upload.NextWork is not null)
        {
            work.Add(upload.NextWork, job.Id.ToString());
        }
        job.Status = upload.Next;
        await audit.SaveChangesAsync(upload.Moved is { } action ? [JobEvents.Of(AuditActor.System, action, job)] : [], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        work.DispatchCommitted();
    }
}
