namespace Dragon.Platform.BackgroundWork;

/// <summary>How background work survives a host that dies: leases, their renewal and the sweep (<c>Jobs</c> section).</summary>
public sealed class WorkOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// How long a claimed work item stays with its host without a renewal. The host renews it every third of this while
    /// the step runs, so it bounds how long the work of a dead host waits, not how long a step may take.
    /// </summary>
    public TimeSpan WorkLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often each host looks for work that a dead host held or that Hangfire lost.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long pending work may wait after it was handed to Hangfire before the sweep hands it over again; after a
    /// failure the wait doubles with each attempt, up to <see cref="MaxRetryDelay"/>.
    /// </summary>
    public TimeSpan PendingGrace { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    public WorkOptions Validated()
    {
        if (WorkLease < TimeSpan.FromSeconds(1) || SweepInterval <= TimeSpan.Zero || PendingGrace <= TimeSpan.Zero || MaxRetryDelay < PendingGrace)
        {
            throw new InvalidOperationException(
                "config.jobs.work_timing: Jobs:WorkLease must be at least 1 second, Jobs:SweepInterval and Jobs:PendingGrace positive, and Jobs:MaxRetryDelay at least Jobs:PendingGrace.");
        }
        return this;
    }

    /// <summary>When pending work handed over at <paramref name="dispatchedAt"/> after <paramref name="attempts"/> failed attempts is due again.</summary>
    public DateTimeOffset DueAgainAt(DateTimeOffset dispatchedAt, int attempts)
    {
        var delay = PendingGrace * Math.Pow(2, Math.Clamp(attempts - 1, 0, 20));
        return dispatchedAt + (delay < MaxRetryDelay ? delay : MaxRetryDelay);
    }
}
