namespace Dragon.Platform.Nodes;

/// <summary>
/// A single-use invitation for one organisation's node. Only the SHA-256 hash of the token is stored, so a
/// copy of the database does not let anyone enroll.
/// </summary>
public sealed class EnrollmentToken
{
    public Guid Id { get; init; }
    public required string TokenHash { get; init; }
    public required string Organisation { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public Guid IssuedBy { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    public DateTimeOffset? UsedAt { get; set; }
    public Guid? NodeId { get; set; }
}
