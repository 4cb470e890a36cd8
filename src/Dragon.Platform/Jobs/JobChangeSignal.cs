namespace Dragon.Platform.Jobs;

/// <summary>
/// Raised after this host commits a write to jobs or key sets, so that push streams look for new work at once instead of
/// at their next timed check; the timer stays for changes other hosts make. A waiter takes <see cref="Next"/> before it
/// reads the database, so a change committed between its read and its wait still wakes it.
/// </summary>
public sealed class JobChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next change.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Raise() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
