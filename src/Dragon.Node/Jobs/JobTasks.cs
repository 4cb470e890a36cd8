using System.Security.Cryptography;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Node.Agent;
using Dragon.Node.Cli;
using Dragon.Node.Data;
using Dragon.Node.Platform;
using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>
/// The node's part in an aggregation job: the encrypted local vector over its consenting subjects, and a
/// decryption share for an aggregate it has checked.
/// </summary>
/// <param name="sources">Where each of the node's cohorts is read; a job's cohort without a source adds nothing.</param>
public sealed class JobTasks(StateFolder folder, PlatformClient platform, IReadOnlyDictionary<Guid, ILocalDataSource> sources, ConsentStore consents, KeyShareSecrets secrets)
{
    private readonly OwnContributions _own = new(folder);

    /// <returns>How many records went into the vector and which rows were left out (for the log; no values).</returns>
    public async Task<ContributionSummary> ContributeAsync(NodeTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var job = task.Job ?? throw new NodeException("The contribution task carries no job.");
        var parameters = EncryptionParameters.FromPreset(task.Parameters);
        var keySet = await platform.KeySetAsync(task.KeySetId, cancellationToken);
        var publicKey = PublicKey.ReadFrom(Convert.FromBase64String(keySet.CollectivePublicKey
            ?? throw new NodeException($"Key set {task.KeySetId} has no collective public key yet.")), parameters);

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
                throw new NodeException($"The job uses variable {gone}, which cohort {cohortId} no longer has; this node cannot take part.");
            }
            var data = await source.ReadAsync(cohort.Variables, cancellationToken);
            if (!data.IsComplete)
            {
                leftOut.Add(new LeftOutRows(source.Description, [.. data.Problems.Select(p => p.Row)]));
            }
            var records = data.Records
                .Where(r => Consents(cohortId, r.SubjectRef, job.Purpose))
                .Where(r => RecordFilter.Matches(r, job.Filter, variables))
                .ToList();
            included += records.Count;
            var local = LocalVector.Compute(job.Aggregation, job.DecimalPlaces, records, variables);
            if (local.Length != vector.Length)
            {
                throw new NodeException($"The local vector has {local.Length} numbers; the job's layout has {vector.Length}.");
            }
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = checked(vector[i] + local[i]);
            }
        }
        var encoder = new IntegerEncoder(parameters);
        var share = PlaintextShare.For(encoder, Math.Max(1, job.ParticipantCount));
        var outside = share.FirstOutside(vector);
        if (outside >= 0)
        {
            throw new NodeException($"Number {outside} of the local vector does not fit this node's share of the plaintext range of key set {task.KeySetId} ({task.Parameters}, " +
                $"{job.ParticipantCount} nodes: {share.Lowest} to {share.Highest}); the job needs a key set with larger parameters, such as bfv-8192.");
        }
        var ciphertext = CiphertextVector.Encrypt(new Encryptor(parameters, publicKey), encoder, vector).ToArray();
        _own.Remember(task.JobId!.Value, ciphertext);
        await platform.UploadContributionAsync(task.JobId.Value, new ContributionUpload(Convert.ToBase64String(ciphertext)), cancellationToken);
        return new ContributionSummary(included, leftOut);
    }

    /// <exception cref="NodeException">The aggregate is not the sum of the contributions, or the node's own contribution is not among them.</exception>
    public async Task ShareAsync(NodeTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var job = task.Job ?? throw new NodeException("The decryption task carries no job.");
        var jobId = task.JobId!.Value;
        var parameters = EncryptionParameters.FromPreset(task.Parameters);
        var contributions = (task.Contributions ?? []).Select(Convert.FromBase64String).ToList();
        var aggregate = Convert.FromBase64String(task.Aggregate ?? throw new NodeException("The decryption task carries no aggregate."));
        var sum = CiphertextVector.Sum(new Evaluator(parameters), contributions.Select(c => CiphertextVector.ReadFrom(c, parameters)));
        if (!SHA256.HashData(sum.ToArray()).AsSpan().SequenceEqual(SHA256.HashData(aggregate)))
        {
            throw new NodeException("Refused: the aggregate is not the sum of the listed contributions.");
        }
        if (!_own.IsAmong(jobId, contributions))
        {
            throw new NodeException("Refused: this node's own contribution is not among the listed contributions.");
        }
        var protocol = new DecryptionShareProtocol(parameters, partyCount: job.ParticipantCount, ciphertextCount: job.ParticipantCount);
        var share = protocol.GenShareNew(secrets.Open(task.KeySetId, parameters), CiphertextVector.ReadFrom(aggregate, parameters));
        await platform.UploadDecryptionShareAsync(jobId, new DecryptionShareUpload(Convert.ToBase64String(share.ToArray())), cancellationToken);
    }

    /// <summary>
    /// The variable laid out as it was when the job was submitted (its categories in that order), so the platform
    /// reads the vector the way this node wrote it even if the cohort was edited since.
    /// </summary>
    private static VariableDefinition AsSubmitted(VariableDefinition current, JobTaskSpec job) =>
        job.Variables?.FirstOrDefault(v => v.Name == current.Name) is not { } submitted ? current
        : submitted.Type == current.Type ? current with { Categories = submitted.Categories }
        : throw new NodeException($"Variable {current.Name} is {current.Type} in the cohort now but was {submitted.Type} when the job was submitted; this node cannot take part.");

    /// <summary>The variables a job reads: the aggregated one, those it groups by, and those it filters on.</summary>
    private static IEnumerable<string> Used(JobTaskSpec job) =>
        new[] { job.Aggregation.Variable }.Concat(job.Aggregation.GroupBy ?? []).Concat(job.Filter.Select(f => f.Variable)).OfType<string>();

    private bool Consents(Guid cohortId, string subjectRef, string purpose) =>
        consents.Find(cohortId, subjectRef) is { Status: ConsentStore.Granted } consent && DuoCoverage.Covers(consent.Purposes, purpose);
}
