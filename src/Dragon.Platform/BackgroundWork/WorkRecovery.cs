using Dragon.Platform.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.BackgroundWork;

/// <summary>
/// Hands unfinished work back to Hangfire at start-up when its storage does not survive a restart
/// (SQLite with in-memory Hangfire storage). The only host on such a database is this one, so an item
/// left running was interrupted and is made pending again.
/// </summary>
public static class WorkRecovery
{
    public static async Task<int> RequeueUnfinishedAsync(DragonDbContext db, IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(jobs);
        await db.WorkItems.Where(item => item.State == WorkItemState.Running).ExecuteUpdateAsync(set => set
            .SetProperty(item => item.State, WorkItemState.Pending)
            .SetProperty(item => item.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        var pending = await db.WorkItems
            .Where(item => item.State == WorkItemState.Pending)
            .Select(item => item.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in pending)
        {
            WorkQueue.Dispatch(jobs, id);
        }
        return pending.Count;
    }
}
