using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Dragon.Platform.BackgroundWork;

/// <summary>
/// Hands work back to Hangfire that nobody is doing: work whose host died (its lease ran out), work Hangfire lost or a
/// dead host fetched before claiming it, and failed work once its backoff has passed. Every host sweeps; each hand-over
/// is a conditional update on the row, so two hosts sweeping at once hand an item over once.
/// </summary>
public sealed class WorkSweep(DragonDbContext db, IBackgroundJobClient jobs, WorkOptions options, TimeProvider time, ILogger<WorkSweep> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = Clock.UtcNow(time);
        var abandoned = await db.WorkItems
            .Where(item => item.State == WorkItemState.Running && item.LeaseUntil < now)
            .ExecuteUpdateAsync(set => set
                .SetProperty(item => item.State, WorkItemState.Pending)
                .SetProperty(item => item.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(item => item.DispatchedAt, (DateTimeOffset?)null), cancellationToken);
        if (abandoned > 0)
        {
            logger.LogWarning("{Count} work items were held by a host whose lease ran out; handing them over again", abandoned);
        }

        var waitedLongEnough = now - options.PendingGrace;
        var candidates = await db.WorkItems.AsNoTracking()
            .Where(item => item.State == WorkItemState.Pending && (item.DispatchedAt == null || item.DispatchedAt < waitedLongEnough))
            .Select(item => new { item.Id, item.DispatchedAt, item.Attempts })
            .ToListAsync(cancellationToken);
        var handedOver = 0;
        foreach (var item in candidates.Where(item => item.DispatchedAt is null || options.DueAgainAt(item.DispatchedAt.Value, item.Attempts) <= now))
        {
            var taken = await db.WorkItems
                .Where(row => row.Id == item.Id && row.State == WorkItemState.Pending && row.DispatchedAt == item.DispatchedAt)
                .ExecuteUpdateAsync(set => set.SetProperty(row => row.DispatchedAt, now), cancellationToken);
            if (taken == 1)
            {
                WorkQueue.Dispatch(jobs, item.Id);
                handedOver++;
            }
        }
        return handedOver;
    }
}
