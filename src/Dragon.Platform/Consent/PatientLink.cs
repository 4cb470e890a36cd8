namespace Dragon.Platform.Consent;

/// <summary>A patient account linked to a subject pseudonym at a node: the patient sees that subject's consents.</summary>
public sealed class PatientLink
{
    public Guid UserId { get; init; }
    public Guid NodeId { get; init; }
    public required string SubjectRef { get; init; }
    public DateTimeOffset LinkedAt { get; init; }
}
