namespace Dragon.Platform.Consent;

/// <summary>
/// The consent of one pseudonymous subject of a node for one cohort. Its state is the latest of its
/// <see cref="Versions"/>; nothing is ever overwritten, every change adds a version.
/// </summary>
public sealed class ConsentRecord
{
    public Guid Id { get; init; }
    public Guid NodeId { get; init; }
    public Guid CohortId { get; init; }
    public required string SubjectRef { get; init; }
    public List<ConsentVersion> Versions { get; init; } = [];

    public ConsentVersion Current => Versions.MaxBy(v => v.Version)!;
}
