using Dragon.Node.Cli;
using Dragon.Node.Data;
using Dragon.Node.State;

namespace Dragon.Node.Agent;

/// <summary>Where <c>run</c> reads each cohort's records: the CSV files of <c>--data</c> and the tables of <c>--data-table</c>.</summary>
public static class LocalDataSources
{
    /// <exception cref="UsageException">A cohort is named by both options.</exception>
    /// <exception cref="NodeException">A table name is not a plain identifier, or a provider's connection string is missing or not valid.</exception>
    public static IReadOnlyDictionary<Guid, ILocalDataSource> Open(
        IReadOnlyDictionary<Guid, string> files, IReadOnlyDictionary<Guid, DataTable> tables, StateFolder folder, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(tables);
        var sources = files.ToDictionary(f => f.Key, f => (ILocalDataSource)new CsvDataSource(f.Value));
        var connectionStrings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (cohortId, table) in tables)
        {
            if (sources.ContainsKey(cohortId))
            {
                throw new UsageException($"Cohort {cohortId} is named by both --data and --data-table; give it one source.");
            }
            if (!connectionStrings.TryGetValue(table.Provider, out var connectionString))
            {
                connectionString = SqlConnectionStrings.For(table.Provider, folder, environment);
                connectionStrings[table.Provider] = connectionString;
            }
            sources[cohortId] = new SqlTableDataSource(SqlProviders.Get(table.Provider), connectionString, table.Table);
        }
        return sources;
    }
}
