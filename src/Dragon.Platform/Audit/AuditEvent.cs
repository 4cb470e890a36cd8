namespace Dragon.Platform.Audit;

/// <summary>
/// One link of the audit hash chain. <see cref="Hash"/> is SHA-256 over <see cref="AuditCanonicalForm"/> of
/// every other field, <see cref="PreviousHash"/> included, so changing, removing, inserting or reordering a
/// row breaks the chain from that row on.
/// </summary>
public sealed class AuditEvent
{
    public long Sequence { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public AuditActorType ActorType { get; init; }
    public required string ActorId { get; init; }
    public AuditAction Action { get; init; }
    public required string ObjectType { get; init; }
    public required string ObjectId { get; init; }
    public string? Purpose { get; init; }
    public string? LegalBasis { get; init; }
    /// <summary>Canonical JSON of identifiers and small facts; never personal data.</summary>
    public required string Payload { get; init; }
    /// <summary>The person whose key encrypts <see cref="PersonalData"/>; destroying the key erases it.</summary>
    public Guid? PersonRef { get; init; }
    /// <summary>AES-GCM ciphertext (base64) of personal data such as an e-mail address.</summary>
    public string? PersonalData { get; init; }
    public required string PreviousHash { get; init; }
    public required string Hash { get; init; }
}
