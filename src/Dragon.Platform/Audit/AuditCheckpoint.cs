namespace Dragon.Platform.Audit;

/// <summary>
/// A signed statement that the trail held <see cref="Sequence"/> events ending in <see cref="RootHash"/>.
/// Its signed text follows the C2SP tlog-checkpoint body: origin line, size, base64 root hash.
/// </summary>
public sealed class AuditCheckpoint
{
    public long Sequence { get; init; }
    public required string RootHash { get; init; }
    public required string Origin { get; init; }
    public DateTimeOffset SignedAt { get; init; }
    public required string KeyId { get; init; }
    /// <summary>ECDSA P-256 over SHA-256 of <see cref="AuditCheckpointText.Body"/>, IEEE P1363 form, base64.</summary>
    public required string Signature { get; init; }
}
