using System.Security.Cryptography;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Node.Agent;
using Dragon.Node.Cli;
using Dragon.Node.Data;
using Dragon.Node.Platform;

namespace Dragon.Node.Jobs;

/// <summary>
/// The node's part in an aggregation job: the encrypted local vector over its consenting subjects, and a
/// decryption share for an aggregate it has checked.
/// </summary>
public sealed class JobTasks(NodeSession session, IReadOnlyDictionary<Guid, string> dataFiles, ConsentStore consents, KeyShareSecrets secrets)
{
    private readonly OwnContributions _own = new(session.Folder);

    /// <returns>How many records went into the vector (for the log; no values).</returns>
    public async Task<int> ContributeAsync(NodeTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var job = task.Job ?? throw new NodeException("The contribution task carries no job.");
        var parameters = EncryptionParameters.FromPreset(task.Parameters);
        var keySet = await session.Platform.KeySetAsync(task.KeySetId, cancellationToken);
        var publicKey = PublicKey.ReadFrom(Convert.FromBase64String(keySet.CollectivePublicKey
            ?? throw new NodeException($"Key set {task.KeySetId} has no collective public key yet.")), parameters);

        var vector = new long[job.VectorLength];
        var included = 0;
        foreach (var cohortId in job.CohortIds)
        {
            if (!dataFiles.TryGetValue(cohortId, out var path))
            {
                continue;
            }
            var cohort = await session.Platform.FindCohortAsync(cohortId, cancellationToken)
                ?? throw new NodeException($"Cohort {cohortId} is not visible to this node.");
            var variables = cohort.Variables.ToDictionary(v => v.Name!, StringComparer.Ordinal);
            var data = await new CsvDataSource(path).ReadAsync(cohort.Variables, cancellationToken);
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
        var ciphertext = CiphertextVector.Encrypt(new Encryptor(parameters, publicKey), new IntegerEncoder(parameters), vector).ToArray();
        _own.Remember(task.JobId!.Value, ciphertext);
        await session.Platform.UploadContributionAsync(task.JobId.Value, new ContributionUpload(Convert.ToBase64String(ciphertext)), cancellationToken);
        return included;
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
        await session.Platform.UploadDecryptionShareAsync(jobId, new DecryptionShareUpload(Convert.ToBase64String(share.ToArray())), cancellationToken);
    }

    private bool Consents(Guid cohortId, string subjectRef, string purpose) =>
        consents.Find(cohortId, subjectRef) is { Status: ConsentStore.Granted } consent && DuoCoverage.Covers(consent.Purposes, purpose);
}
