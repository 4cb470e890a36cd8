namespace Dragon.Platform.BackgroundWork;

/// <summary>
/// Carries out one kind of <see cref="WorkItem"/>. Hangfire delivers at least once, so a handler must be
/// reentrant: it checks the stored state before acting and does nothing twice.
/// </summary>
public interface IWorkHandler
{
    string Kind { get; }

    Task RunAsync(string payload, CancellationToken cancellationToken);
}
