using Dragon.Platform.Audit;

namespace Dragon.Platform.Consent;

/// <summary>One state of a consent: who recorded it, when, on what evidence, and its place in the node's feed.</summary>
public sealed class ConsentVersion
{
    public Guid Id { get; init; }
    public Guid ConsentId { get; init; }
    public int Version { get; init; }
    public ConsentStatus Status { get; init; }
    public List<string> Purposes { get; init; } = [];
    public string? Evidence { get; init; }
    public AuditActorType ActorType { get; init; }
    public required string ActorId { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    /// <summary>
    /// The sequence of this version's audit event. Audit sequences are assigned under a lock held until commit,
    /// so they grow in commit order: a feed cursor past a position has seen every version before it.
    /// </summary>
    public long FeedPosition { get; set; }
}
