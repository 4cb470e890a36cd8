using Dragon.Platform.BackgroundWork;

namespace Dragon.Platform.Jobs;

/// <summary>The background steps of a job, run by Hangfire through work items; each checks the job's state first.</summary>
public sealed class JobStartWork(JobEngine engine) : IWorkHandler
{
    public string Kind => JobEngine.StartWork;

    public Task RunAsync(string payload, CancellationToken cancellationToken) => engine.StartAsync(Guid.Parse(payload), cancellationToken);
}

public sealed class JobAggregateWork(JobEngine engine) : IWorkHandler
{
    public string Kind => JobEngine.AggregateWork;

    public Task RunAsync(string payload, CancellationToken cancellationToken) => engine.AggregateAsync(Guid.Parse(payload), cancellationToken);
}

public sealed class JobReleaseWork(JobEngine engine) : IWorkHandler
{
    public string Kind => JobEngine.ReleaseWork;

    public Task RunAsync(string payload, CancellationToken cancellationToken) => engine.ReleaseAsync(Guid.Parse(payload), cancellationToken);
}
