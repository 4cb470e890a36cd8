using Dragon.Contracts.Models;
using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>
/// What this node did in one round of a job, kept as <c>job-{id}-round-{n}.json</c> before anything is sent: the
/// manifest it verified and its participants, the digest of the ciphertext it committed to (the ciphertext itself is
/// written once beside it, <c>job-{id}-round-{n}.ciphertext</c>, so it reveals exactly that one), every
/// participant's commitment as it saw them when it revealed (so nobody can commit anew once its ciphertext is out)
/// and, once made, the one decryption share it gives for the round, with the aggregate it was for. A repeated task is
/// answered from here, never computed again.
/// </summary>
/// <param name="ManifestDigest">Lowercase hex SHA-256 of the manifest (<see cref="Contracts.Jobs.JobManifests.Digest"/>).</param>
/// <param name="CiphertextDigest">Lowercase hex SHA-256 of the serialized ciphertext vector committed to.</param>
/// <param name="Commitments">By participant, the digest it committed to, as listed when this node revealed.</param>
/// <param name="Contributors">The nodes whose contributions the aggregate this node decrypted sums, in node order (a model's next round must have exactly these).</param>
/// <param name="Model">A model's round: the coefficients this node evaluated, from which the next round's must follow.</param>
/// <param name="ShareSubset">Under a t-of-N key set, the decryption subset <paramref name="Share"/> was made for; a new subset (a member of the old one missed its deadline) gets a new share of the same aggregate.</param>
public sealed record JobRecord(
    Guid JobId,
    int Round,
    Guid KeySetId,
    string ManifestDigest,
    IReadOnlyList<Guid> Participants,
    string CiphertextDigest,
    string CommitmentSignature,
    IReadOnlyDictionary<Guid, string>? Commitments = null,
    string? AggregateDigest = null,
    string? Share = null,
    string? ShareSignature = null,
    IReadOnlyList<Guid>? ShareSubset = null,
    IReadOnlyList<Guid>? Contributors = null,
    GlmProgress? Model = null)
{
    public static string FileNameOf(Guid jobId, int round) => $"job-{jobId:D}-round-{round}.json";

    public static string CiphertextFileNameOf(Guid jobId, int round) => $"job-{jobId:D}-round-{round}.ciphertext";

    /// <summary>Keeps the ciphertext committed to; written before the record, so a record always has its ciphertext.</summary>
    public static void SaveCiphertext(StateFolder folder, Guid jobId, int round, byte[] ciphertext)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder.WriteFile(CiphertextFileNameOf(jobId, round), Convert.ToBase64String(ciphertext));
    }

    /// <summary>Base64 of the ciphertext committed to.</summary>
    /// <exception cref="Cli.NodeException">The file is missing.</exception>
    public string Ciphertext(StateFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return folder.ReadFile(CiphertextFileNameOf(JobId, Round))
            ?? throw new Cli.NodeException($"{CiphertextFileNameOf(JobId, Round)} is missing from {folder.Path}: this node cannot reveal what it committed to in job {JobId}.");
    }

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
