using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Dragon.Platform.Jobs;

/// <summary>
/// Watches the commands EF Core sends (SaveChanges and the state machine's conditional updates alike) for writes to the
/// job and key-set tables, and raises <see cref="JobChangeSignal"/> once they are committed: at once outside a
/// transaction, at the commit inside one (a stream woken earlier would read the old state).
/// </summary>
public sealed partial class JobChangeInterceptor(JobChangeSignal signal) : DbCommandInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbTransaction, object> _written = [];

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    private void Seen(DbCommand command)
    {
        if (!Write().IsMatch(command.CommandText) || !JobTable().IsMatch(command.CommandText))
        {
            return;
        }
        if (command.Transaction is { } transaction)
        {
            _written.AddOrUpdate(transaction, signal);
        }
        else
        {
            signal.Raise();
        }
    }

    private void Committed(DbTransaction transaction)
    {
        if (_written.Remove(transaction))
        {
            signal.Raise();
        }
    }

    [GeneratedRegex(@"\b(INSERT|UPDATE|DELETE)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Write();

    [GeneratedRegex(@"[""\[](Jobs|JobNodes|KeySets|KeySetMembers)[""\]]", RegexOptions.CultureInvariant)]
    private static partial Regex JobTable();
}
