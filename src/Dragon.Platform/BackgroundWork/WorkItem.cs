namespace Dragon.Platform.BackgroundWork;

/// <summary>
/// A unit of background work recorded in the platform's own database, in the same transaction as the change
/// that asked for it. Hangfire runs it; the row is what survives a restart when Hangfire's storage does not, and what
/// another host picks up when the one running it dies (<see cref="WorkSweep"/>).
/// </summary>
public sealed class WorkItem
{
    public Guid Id { get; init; }
    public required string Kind { get; init; }
    public required string Payload { get; init; }
    public WorkItemState State { get; set; }
    public int Attempts { get; set; }
    /// <summary>While <see cref="WorkItemState.Running"/>, no other worker claims the item before this time.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    /// <summary>When the item was last handed to Hangfire (or last failed); null: never, so the sweep hands it over at once.</summary>
    public DateTimeOffset? DispatchedAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>The type of the last exception, never its message: messages can carry personal data.</summary>
    public string? LastError { get; set; }
}

public enum WorkItemState
{
    Pending,
    Running,
    Succeeded,
}
