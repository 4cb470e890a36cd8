namespace Dragon.Platform.Consent;

/// <summary>A single-use code that lets a patient link their account to their pseudonym at a node; stored hashed.</summary>
public sealed class LinkCode
{
    public Guid Id { get; init; }
    public required string CodeHash { get; init; }
    public Guid NodeId { get; init; }
    public Guid CohortId { get; init; }
    public required string SubjectRef { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; set; }
    public Guid? UsedBy { get; set; }
}
