using System.Security.Cryptography;
using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>
/// The SHA-256 of each contribution this node uploaded, kept as <c>contribution-{job}.sha256</c> in the state
/// folder, so a decryption share is given only for an aggregate that includes the node's own contribution.
/// </summary>
public sealed class OwnContributions(StateFolder folder)
{
    public static string FileNameOf(Guid jobId) => $"contribution-{jobId:D}.sha256";

    public void Remember(Guid jobId, byte[] ciphertext) =>
        folder.WriteFile(FileNameOf(jobId), Convert.ToHexStringLower(SHA256.HashData(ciphertext)));

    public bool IsAmong(Guid jobId, IEnumerable<byte[]> contributions)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        var own = folder.ReadFile(FileNameOf(jobId))?.Trim();
        return own is not null && contributions.Any(c => Convert.ToHexStringLower(SHA256.HashData(c)) == own);
    }
}
