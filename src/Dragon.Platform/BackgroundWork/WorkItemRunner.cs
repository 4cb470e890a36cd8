using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Dragon.Platform.BackgroundWork;

/// <summary>
/// The Hangfire job behind every <see cref="WorkItem"/>: claims the row with a lease so a live item is not
/// run twice, runs its handler and records the outcome. A failure leaves the item pending and rethrows so
/// Hangfire retries it.
/// </summary>
public sealed class WorkItemRunner(
    DragonDbContext db,
    IEnumerable<IWorkHandler> handlers,
    TimeProvider time,
    ILogger<WorkItemRunner> logger)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    public async Task RunAsync(Guid workItemId, CancellationToken cancellationToken)
    {
        var now = Clock.UtcNow(time);
        var claimed = await db.WorkItems
            .Where(item => item.Id == workItemId
                && (item.State == WorkItemState.Pending
                    || (item.State == WorkItemState.Running && item.LeaseUntil < now)))
            .ExecuteUpdateAsync(set => set
                .SetProperty(item => item.State, WorkItemState.Running)
                .SetProperty(item => item.LeaseUntil, now + Lease)
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
        try
        {
            await handler.RunAsync(item.Payload, cancellationToken);
        }
        catch (Exception exception)
        {
            await db.WorkItems.Where(row => row.Id == workItemId).ExecuteUpdateAsync(set => set
                .SetProperty(row => row.State, WorkItemState.Pending)
                .SetProperty(row => row.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(row => row.LastError, exception.GetType().FullName), CancellationToken.None);
            throw;
        }
        await db.WorkItems.Where(row => row.Id == workItemId).ExecuteUpdateAsync(set => set
            .SetProperty(row => row.State, WorkItemState.Succeeded)
            .SetProperty(row => row.LeaseUntil, (DateTimeOffset?)null)
            .SetProperty(row => row.CompletedAt, Clock.UtcNow(time)), CancellationToken.None);
    }
}
