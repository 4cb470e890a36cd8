using System.Security.Cryptography;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Node.Agent;
using Dragon.Node.Cli;
using Dragon.Node.Data;
using Dragon.Node.Platform;
using Dragon.Node.Privacy;
using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>
/// The node's part in an aggregation job, one step per task, each served only once <see cref="TaskVerifier"/> has
/// passed it: a signed commitment to the encrypted local vector over its consenting subjects (kept, so the same
/// ciphertext is revealed), the reveal, and one signed decryption share for the checked aggregate.
/// </summary>
/// <param name="sources">Where each of the node's cohorts is read; a job's cohort without a source adds nothing.</param>
public sealed class JobTasks(
    StateFolder folder, PlatformClient platform, IReadOnlyDictionary<Guid, ILocalDataSource> sources, ConsentStore consents, KeyShareSecrets secrets,
    NodeIdentity identity, TaskVerifier verifier, KeyCeremony ceremony, Guid nodeId)
{
    /// <returns>How many records went into the vector and which rows were left out (for the log; no values); null when the commitment made before was sent again.</returns>
    public async Task<ContributionSummary?> CommitAsync(NodeTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var keySet = await KeySetAsync(task, cancellationToken);
        var verified = verifier.Commitment(task, keySet);
        if (verified.Existing is { } made)
        {
            _ = await platform.UploadCommitmentAsync(made.JobId, new CommitmentUpload(made.CiphertextDigest, made.CommitmentSignature), cancellationToken);
            return null;
        }
        var job = verified.Manifest;
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        var publicKey = PublicKey.ReadFrom(Convert.FromBase64String(keySet.CollectivePublicKey), parameters);
        var (vector, summary) = await LocalVectorAsync(job, cancellationToken);
        if (TaskVerifier.Noise(job) is { } variances)
        {
            NoiseShare.Add(vector, variances, RandomSource.Secure);
        }
        var encoder = new IntegerEncoder(parameters);
        var limbs = keySet.Limbs(job.Aggregation.Kind);
        long[] slots;
        try
        {
            slots = limbs.Encode(vector);
        }
        catch (ArgumentOutOfRangeException exception)
        {
            throw new JobDataException($"The local vector of job {job.JobId} does not fit its {limbs.Count} slots per number under key set {task.KeySetId}: {exception.Message}");
        }
        var share = PlaintextShare.For(encoder, keySet.Members.Count);
        var outside = share.FirstOutside(slots);
        if (outside >= 0)
        {
            throw new JobDataException($"Slot {outside} of the local vector does not fit this node's share of the plaintext range of key set {task.KeySetId} ({task.Parameters}, " +
                $"{keySet.Members.Count} members: {share.Lowest} to {share.Highest}).");
        }
        var ciphertext = CiphertextVector.Encrypt(new Encryptor(parameters, publicKey), encoder, slots).ToArray();
        var digest = SHA256.HashData(ciphertext);
        var signature = identity.Sign(SignedStatements.Commitment(job.JobId, task.Round, keySet.KeySetId, nodeId, verified.ManifestDigest, digest));
        var record = new JobRecord(job.JobId, task.Round, keySet.KeySetId, Convert.ToHexStringLower(verified.ManifestDigest), verified.Participants,
            Convert.ToHexStringLower(digest), Convert.ToBase64String(signature), Model: job.Model);
        JobRecord.SaveCiphertext(folder, job.JobId, task.Round, ciphertext);
        record.Save(folder);
        var receipt = await platform.UploadCommitmentAsync(job.JobId, new CommitmentUpload(record.CiphertextDigest, record.CommitmentSignature), cancellationToken);
        return summary with { Commitment = new UploadOutcome(record.CiphertextDigest, receipt) };
    }

    /// <summary>Reveals the ciphertext this node committed to, once every participant's signed commitment is in.</summary>
    /// <returns>The ciphertext uploaded (its SHA-256) and the platform's receipt.</returns>
    public async Task<UploadOutcome> RevealAsync(NodeTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var record = verifier.Reveal(task, await KeySetAsync(task, cancellationToken));
        record.Save(folder);
        var receipt = await platform.UploadContributionAsync(record.JobId, Convert.FromBase64String(record.Ciphertext(folder)), cancellationToken);
        return new UploadOutcome(record.CiphertextDigest, receipt);
    }

    /// <returns>Whether a new share was made (false: the one given before for this aggregate was sent again), the share sent (its SHA-256) with the platform's receipt, and the SHA-256 of this node's contribution the aggregate was checked to sum.</returns>
    public async Task<(bool Made, UploadOutcome Upload, string Contribution)> ShareAsync(NodeTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var keySet = await KeySetAsync(task, cancellationToken);
        var (count, maxBytes) = TaskVerifier.ContributionBounds(task, keySet);
        IReadOnlyList<byte[]> contributions;
        try
        {
            contributions = await platform.ContributionsAsync(task.JobId!.Value, count, maxBytes, cancellationToken);
        }
        catch (InvalidDataException exception)
        {
            throw new TaskRefusedException($"Refused: the contributions to job {task.JobId} are not what the key set allows: {exception.Message}");
        }
        var verified = verifier.Decryption(task, keySet, contributions);
        var record = verified.Record;
        if (record.Share is not null && TaskVerifier.SameSubset(record.ShareSubset, verified.Subset))
        {
            var again = await platform.UploadDecryptionShareAsync(record.JobId, new DecryptionShareUpload(record.Share, record.ShareSignature), cancellationToken);
            return (false, new UploadOutcome(ShareDigest(record.Share), again), record.CiphertextDigest);
        }
        // Counted before the share exists: a crash after this line costs lifetime, never gives a share uncounted.
        keySet.CountDecryption(folder, verified.Parts);
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        var aggregate = CiphertextVector.ReadFrom(verified.Aggregate, parameters);
        byte[] share;
        if (verified.Subset is { } subset)
        {
            var protocol = new DecryptionShareProtocol(parameters, keySet.Members.Count, keySet.EffectiveThreshold, verified.Contributors, SmudgingTarget.KeySetLifetime);
            var made = protocol.AllocateShare(aggregate.Parts.Count);
            var points = subset.Select(id => keySet.Member(id)!.Point).ToList();
            protocol.GenShare(await ceremony.ThresholdShareAsync(keySet, cancellationToken), points, aggregate, made);
            share = made.ToArray();
        }
        else
        {
            var protocol = new DecryptionShareProtocol(parameters, partyCount: keySet.Members.Count, ciphertextCount: record.Participants.Count);
            share = protocol.GenShareNew(secrets.Open(keySet.KeySetId, parameters), aggregate).ToArray();
        }
        var aggregateDigest = SHA256.HashData(verified.Aggregate);
        var signature = identity.Sign(SignedStatements.DecryptionShare(record.JobId, record.Round, keySet.KeySetId, nodeId, aggregateDigest, SHA256.HashData(share), verified.Subset));
        record = record with
        {
            AggregateDigest = Convert.ToHexStringLower(aggregateDigest), Share = Convert.ToBase64String(share), ShareSignature = Convert.ToBase64String(signature),
            ShareSubset = verified.Subset, Contributors = verified.ContributorIds,
        };
        record.Save(folder);
        var receipt = await platform.UploadDecryptionShareAsync(record.JobId, new DecryptionShareUpload(record.Share, record.ShareSignature), cancellationToken);
        return (true, new UploadOutcome(ShareDigest(record.Share), receipt), record.CiphertextDigest);
    }

    private static string ShareDigest(string share) => Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(share)));

    private Task<VerifiedKeySet> KeySetAsync(NodeTask task, CancellationToken cancellationToken) =>
        verifier.KeySetAsync(task, platform.KeySetAsync, cancellationToken);

    /// <summary>The job's local vector over this node's consenting, matching records of the job's cohorts it holds.</summary>
    private async Task<(long[] Vector, ContributionSummary Summary)> LocalVectorAsync(JobTaskSpec job, CancellationToken cancellationToken)
    {
        var vector = new long[job.VectorLength];
        var included = 0;
        var leftOut = new List<LeftOutRows>();
        foreach (var cohortId in job.CohortIds)
        {
            if (!sources.TryGetValue(cohortId, out var source))
            {
                continue;
            }
            var cohort = await platform.FindCohortAsync(cohortId, cancellationToken)
                ?? throw new NodeException($"Cohort {cohortId} is not visible to this node.");
            var variables = cohort.Variables.ToDictionary(v => v.Name!, v => AsSubmitted(v, job), StringComparer.Ordinal);
            if (Used(job).FirstOrDefault(name => !variables.ContainsKey(name)) is { } gone)
            {
                throw new JobDataException($"The job uses variable {gone}, which cohort {cohortId} no longer has; this node cannot take part.");
            }
            var data = await source.ReadAsync(cohort.Variables, cancellationToken);
            if (!data.IsComplete)
            {
                leftOut.Add(new LeftOutRows(source.Description, [.. data.Problems.Select(p => p.Row)]));
            }
            var matches = RecordFilter.Compile(job.Filter, variables);
            var filtered = data.Records.Select(r => Consents(cohortId, r.SubjectRef, job.Purpose) && matches(r)).ToArray();
            var records = data.Records.Where((_, i) => filtered[i]).ToList();
            included += records.Count;
            var released = job.Aggregation.Kind == "glm" ? GlmLocalVector.Compute(job, records) : LocalVector.Compute(job.Aggregation, job.DecimalPlaces, records, variables);
            // A model's records are the same every round: its checks are computed in round 0, and are zeros after.
            long[] local = job.Privacy?.Checks is { } checks
                ? [.. released, .. job.Model is { Round: > 0 } ? new long[vector.Length - released.Length]
                    : ExactCheckVector.Compute(job, checks, cohortId, data.Records, filtered, (r, purpose) => Consents(cohortId, r.SubjectRef, purpose), variables)]
                : released;
            if (local.Length != vector.Length)
            {
                throw new NodeException($"The local vector has {local.Length} numbers; the job's layout has {vector.Length}.");
            }
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = checked(vector[i] + local[i]);
            }
        }
        return (vector, new ContributionSummary(included, leftOut));
    }

    /// <summary>
    /// The variable laid out as it was when the job was submitted (its categories in that order, its bounds), so the platform
    /// reads the vector the way this node wrote it even if the cohort was edited since.
    /// </summary>
    private static VariableDefinition AsSubmitted(VariableDefinition current, JobTaskSpec job) =>
        job.Variables?.FirstOrDefault(v => v.Name == current.Name) is not { } submitted ? current
        : submitted.Type == current.Type ? current with { Categories = submitted.Categories, Min = submitted.Min, Max = submitted.Max }
        : throw new JobDataException($"Variable {current.Name} is {current.Type} in the cohort now but was {submitted.Type} when the job was submitted; this node cannot take part.");

    /// <summary>The variables a job reads: those it aggregates, groups by or models, and those it and its prior selections filter on.</summary>
    private static IEnumerable<string> Used(JobTaskSpec job) =>
        job.Aggregation.ReadVariables().Concat(job.Filter.Select(f => f.Variable))
            .Concat((job.Privacy?.Checks?.Prior ?? []).SelectMany(p => p.Filter.Select(f => f.Variable))).OfType<string>();

    private bool Consents(Guid cohortId, string subjectRef, string purpose) =>
        consents.Find(cohortId, subjectRef) is { Status: ConsentStore.Granted } consent && DuoCoverage.Covers(consent.Purposes, purpose);
}
