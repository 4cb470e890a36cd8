using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>
/// What this node did in one round of a job, kept as <c>job-{id}-round-{n}.json</c> before anything is sent: the
/// manifest it verified and its participants, the ciphertext it committed to (so it reveals exactly that one), every
/// participant's commitment as it saw them when it revealed (so nobody can commit anew once its ciphertext is out)
/// and, once made, the one decryption share it gives for the round, with the aggregate it was for. A repeated task is
/// answered from here, never computed again.
/// </summary>
/// <param name="ManifestDigest">Lowercase hex SHA-256 of the manifest (<see cref="Contracts.Jobs.JobManifests.Digest"/>).</param>
/// <param name="Ciphertext">Base64 of the serialized ciphertext vector committed to.</param>
/// <param name="CiphertextDigest">Lowercase hex SHA-256 of it.</param>
/// <param name="Commitments">By participant, the digest it committed to, as listed when this node revealed.</param>
public sealed record JobRecord(
    Guid JobId,
    int Round,
    Guid KeySetId,
    string ManifestDigest,
    IReadOnlyList<Guid> Participants,
    string Ciphertext,
    string CiphertextDigest,
    string CommitmentSignature,
    IReadOnlyDictionary<Guid, string>? Commitments = null,
    string? AggregateDigest = null,
    string? Share = null,
    string? ShareSignature = null)
{
    public static string FileNameOf(Guid jobId, int round) => $"job-{jobId:D}-round-{round}.json";

    public static JobRecord? Find(StateFolder folder, Guid jobId, int round)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return folder.ReadJson<JobRecord>(FileNameOf(jobId, round));
    }

    public void Save(StateFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder.WriteJson(FileNameOf(JobId, Round), this);
    }
}
