using System.Globalization;
using System.Text;

namespace Dragon.Contracts.Jobs;

/// <summary>
/// The exact bytes a node signs with its identity key at each step of the protocol, built the same way by the node
/// that signs and by everyone who checks (the platform on upload, the other nodes before they rely on it). Each is a
/// few lines of text with a distinct first line, so a signature for one step can never be replayed as another's.
/// Digests are lowercase hex SHA-256.
/// </summary>
public static class SignedStatements
{
    /// <summary>A member's public-key share for a key set: which set, which seed, which party, whose, and which share.</summary>
    public static byte[] KeyShare(Guid keySetId, ReadOnlySpan<byte> commonSeed, int partyIndex, Guid nodeId, ReadOnlySpan<byte> shareDigest) => Text(
        "dragon key share v1",
        $"key set {keySetId:D}",
        $"seed {Convert.ToBase64String(commonSeed)}",
        $"party {partyIndex.ToString(CultureInfo.InvariantCulture)}",
        $"node {nodeId:D}",
        $"share {Convert.ToHexStringLower(shareDigest)}");

    /// <summary>
    /// A member's public-key share for a t-of-N key set, with the threshold it agreed to and the exchange key its
    /// threshold shares are to be sealed to.
    /// </summary>
    public static byte[] ThresholdKeyShare(
        Guid keySetId, ReadOnlySpan<byte> commonSeed, int partyIndex, Guid nodeId, ReadOnlySpan<byte> shareDigest, int threshold, int members, ReadOnlySpan<byte> exchangeKey) => Text(
        "dragon threshold key share v1",
        $"key set {keySetId:D}",
        $"seed {Convert.ToBase64String(commonSeed)}",
        $"party {partyIndex.ToString(CultureInfo.InvariantCulture)}",
        $"node {nodeId:D}",
        $"share {Convert.ToHexStringLower(shareDigest)}",
        $"threshold {threshold.ToString(CultureInfo.InvariantCulture)} of {members.ToString(CultureInfo.InvariantCulture)}",
        $"exchange key {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(exchangeKey))}");

    /// <summary>A dealer's sealed threshold share for one recipient of a key set.</summary>
    public static byte[] ThresholdShare(Guid keySetId, Guid dealerId, Guid recipientId, ReadOnlySpan<byte> sealedDigest) => Text(
        "dragon threshold share v1",
        $"key set {keySetId:D}",
        $"dealer {dealerId:D}",
        $"recipient {recipientId:D}",
        $"sealed {Convert.ToHexStringLower(sealedDigest)}");

    /// <summary>
    /// A node's commitment to its contribution in one round of a job: the digest of the ciphertext it will reveal, for
    /// the job manifest it verified (<see cref="JobManifests.Digest"/>), under a key set.
    /// </summary>
    public static byte[] Commitment(Guid jobId, int round, Guid keySetId, Guid nodeId, ReadOnlySpan<byte> manifestDigest, ReadOnlySpan<byte> ciphertextDigest) => Text(
        "dragon commitment v1",
        $"job {jobId:D}",
        $"round {round.ToString(CultureInfo.InvariantCulture)}",
        $"key set {keySetId:D}",
        $"node {nodeId:D}",
        $"manifest {Convert.ToHexStringLower(manifestDigest)}",
        $"ciphertext {Convert.ToHexStringLower(ciphertextDigest)}");

    /// <summary>
    /// A node's decryption share for the aggregate of one round of a job; under a t-of-N key set, for the decryption
    /// subset named (in node order), which its Lagrange coefficient depends on.
    /// </summary>
    public static byte[] DecryptionShare(
        Guid jobId, int round, Guid keySetId, Guid nodeId, ReadOnlySpan<byte> aggregateDigest, ReadOnlySpan<byte> shareDigest, IReadOnlyList<Guid>? subset = null)
    {
        string[] lines = [
            subset is null ? "dragon decryption share v1" : "dragon threshold decryption share v1",
            $"job {jobId:D}",
            $"round {round.ToString(CultureInfo.InvariantCulture)}",
            $"key set {keySetId:D}",
            $"node {nodeId:D}",
            $"aggregate {Convert.ToHexStringLower(aggregateDigest)}",
            $"share {Convert.ToHexStringLower(shareDigest)}"];
        return subset is null ? Text(lines) : Text([.. lines, $"subset {string.Join(',', subset.Select(id => id.ToString("D")))}"]);
    }

    private static byte[] Text(params string[] lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
}
