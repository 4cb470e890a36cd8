using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Hangfire;

namespace Dragon.Platform.BackgroundWork;

/// <summary>
/// Records background work in the caller's unit of work and hands it to Hangfire once committed: at once
/// after a save outside a transaction, or when the caller calls <see cref="DispatchCommitted"/> after its
/// transaction commits (work is never handed over before its row is visible to the runner).
/// </summary>
public sealed class WorkQueue
{
    private readonly DragonDbContext _db;
    private readonly IBackgroundJobClient _jobs;
    private readonly TimeProvider _time;
    private readonly List<WorkItem> _unsent = [];

    public WorkQueue(DragonDbContext db, IBackgroundJobClient jobs, TimeProvider time)
    {
        _db = db;
        _jobs = jobs;
        _time = time;
        _db.SavedChanges += (_, _) => DispatchSaved();
    }

    /// <summary>Adds a work item to the current unit of work; it runs after the caller saves.</summary>
    public WorkItem Add(string kind, string payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(payload);
        var item = new WorkItem
        {
            Id = Guid.NewGuid(),
            Kind = kind,
            Payload = payload,
            State = WorkItemState.Pending,
            CreatedAt = Clock.UtcNow(_time),
        };
        item.DispatchedAt = item.CreatedAt;
        _db.WorkItems.Add(item);
        _unsent.Add(item);
        return item;
    }

    /// <summary>Hands the work added so far to Hangfire; call it after the transaction that saved it committed.</summary>
    public void DispatchCommitted() => DispatchSaved();

    private void DispatchSaved()
    {
        if (_db.Database.CurrentTransaction is not null)
        {
            return;
        }
        foreach (var item in _unsent)
        {
            Dispatch(_jobs, item.Id);
        }
        _unsent.Clear();
    }

    internal static void Dispatch(IBackgroundJobClient jobs, Guid workItemId) =>
        jobs.Enqueue<WorkItemRunner>(runner => runner.RunAsync(workItemId, CancellationToken.None));
}
