using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Dragon.Platform.Persistence;

/// <summary>
/// Lets SQLite itself wait for a lock another connection holds (its busy handler retries within a millisecond or a few)
/// instead of returning "database is locked" at once, which Microsoft.Data.Sqlite answers by sleeping 150 ms before it
/// tries again: with nodes uploading at once, those sleeps were most of an upload's time.
/// </summary>
public sealed class SqliteBusyWait : DbConnectionInterceptor
{
    /// <summary>How long a statement waits for a lock before it fails; Microsoft.Data.Sqlite's own retries go on after that, up to the command timeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The one instance every context shares: it holds no state.</summary>
    public static SqliteBusyWait Instance { get; } = new();

    private SqliteBusyWait()
    {
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Wait(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Wait(connection);
        return Task.CompletedTask;
    }

    private static void Wait(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            SQLitePCL.raw.sqlite3_busy_timeout(handle, (int)Timeout.TotalMilliseconds);
        }
    }
}
