using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dragon.Platform.BackgroundWork;

/// <summary>
/// The Hangfire job behind every <see cref="WorkItem"/>: claims the row with a lease so a live item is not run twice,
/// renews the lease while its handler runs, and records the outcome. A failure leaves the item pending for
/// <see cref="WorkSweep"/> to retry with backoff: the retries live in the platform's database, not in one host's Hangfire.
/// </summary>
public sealed class WorkItemRunner(
    DragonDbContext db,
    IEnumerable<IWorkHandler> handlers,
    IServiceScopeFactory scopes,
    WorkOptions options,
    TimeProvider time,
    ILogger<WorkItemRunner> logger)
{
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid workItemId, CancellationToken cancellationToken)
    {
        var now = Clock.UtcNow(time);
        var claimed = await db.WorkItems
            .Where(item => item.Id == workItemId
                && (item.State == WorkItemState.Pending
                    || (item.State == WorkItemState.Running && item.LeaseUntil < now)))
            .ExecuteUpdateAsync(set => set
                .SetProperty(item => item.State, WorkItemState.Running)
                .SetProperty(item => item.LeaseUntil, now + options.WorkLease)
                .SetProperty(item => item.Attempts, item => item.Attempts + 1), cancellationToken);
        var item = await db.WorkItems.AsNoTracking().SingleOrDefaultAsync(item => item.Id == workItemId, cancellationToken)
            ?? throw new InvalidOperationException($"work.not_yet_committed: work item {workItemId} is not in the database yet.");
        if (claimed == 0)
        {
            logger.LogInformation("Work item {WorkItemId} is {State}; nothing to do", workItemId, item.State);
            return;
        }

        var handler = handlers.SingleOrDefault(handler => handler.Kind == item.Kind)
            ?? throw new InvalidOperationException($"work.no_handler: no handler is registered for work of kind '{item.Kind}'.");
        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewing = RenewLeaseAsync(workItemId, renewal.Token);
        using var activity = Jobs.JobTelemetry.Source.StartActivity(item.Kind);
        // A job's steps carry its id (their payload); other work's payload is not put in traces.
        activity?.SetTag(Jobs.JobTelemetry.JobIdTag, item.Kind.StartsWith("job.", StringComparison.Ordinal) ? item.Payload : null);
        var started = time.GetTimestamp();
        try
        {
            await handler.RunAsync(item.Payload, cancellationToken);
            Jobs.JobTelemetry.StepDuration.Record(time.GetElapsedTime(started).TotalSeconds, new("kind", item.Kind), new("outcome", "succeeded"));
        }
        catch (Exception exception)
        {
            Jobs.JobTelemetry.StepDuration.Record(time.GetElapsedTime(started).TotalSeconds, new("kind", item.Kind), new("outcome", "failed"));
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, exception.GetType().Name);
            await StopRenewingAsync(renewal, renewing);
            await db.WorkItems.Where(row => row.Id == workItemId).ExecuteUpdateAsync(set => set
                .SetProperty(row => row.State, WorkItemState.Pending)
                .SetProperty(row => row.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(row => row.DispatchedAt, Clock.UtcNow(time))
                .SetProperty(row => row.LastError, exception.GetType().FullName), CancellationToken.None);
            throw;
        }
        await StopRenewingAsync(renewal, renewing);
        await db.WorkItems.Where(row => row.Id == workItemId).ExecuteUpdateAsync(set => set
            .SetProperty(row => row.State, WorkItemState.Succeeded)
            .SetProperty(row => row.LeaseUntil, (DateTimeOffset?)null)
            .SetProperty(row => row.CompletedAt, Clock.UtcNow(time)), CancellationToken.None);
    }

    /// <summary>
    /// Extends the lease every third of its length on a connection of its own (the handler owns this scope's context), so
    /// a long step keeps its claim while a dead host's claim runs out within one lease.
    /// </summary>
    private async Task RenewLeaseAsync(Guid workItemId, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.WorkLease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var leaseUntil = Clock.UtcNow(time) + options.WorkLease;
                    await scope.ServiceProvider.GetRequiredService<DragonDbContext>().WorkItems
                        .Where(row => row.Id == workItemId && row.State == WorkItemState.Running)
                        .ExecuteUpdateAsync(set => set.SetProperty(row => row.LeaseUntil, leaseUntil), cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogWarning("Could not renew the lease of work item {WorkItemId}: {Error}", workItemId, exception.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task StopRenewingAsync(CancellationTokenSource renewal, Task renewing)
    {
        await renewal.CancelAsync();
        await renewing;
    }
}
