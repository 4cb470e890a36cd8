using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.BackgroundWork;

/// <summary>
/// Hands unfinished work back to Hangfire at start-up when its storage does not survive a restart
/// (SQLite with in-memory Hangfire storage). The only host on such a database is this one, so an item
/// left running was interrupted: every unfinished item is made due at once, and the sweep hands them all over.
/// </summary>
public static class WorkRecovery
{
    public static async Task<int> RequeueUnfinishedAsync(DragonDbContext db, WorkSweep sweep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(sweep);
        await db.WorkItems.Where(item => item.State != WorkItemState.Succeeded).ExecuteUpdateAsync(set => set
            .SetProperty(item => item.State, WorkItemState.Pending)
            .SetProperty(item => item.LeaseUntil, (DateTimeOffset?)null)
            .SetProperty(item => item.DispatchedAt, (DateTimeOffset?)null), cancellationToken);
        return await sweep.RunAsync(cancellationToken);
    }
}
