using Dragon.Node.Cli;
using Dragon.Node.Data;

namespace Dragon.Node.Agent;

/// <summary>
/// The <c>--data-table COHORT_ID=PROVIDER:TABLE</c> options of <c>run</c>: which database table or view holds which
/// cohort's records. The connection string is never on the command line (see <see cref="SqlConnectionStrings"/>).
/// </summary>
public static class DataTables
{
    public const string Format = "COHORT_ID=PROVIDER:TABLE";

    /// <exception cref="UsageException">A value is not <see cref="Format"/>, names an unknown provider, or a cohort is named twice.</exception>
    public static IReadOnlyDictionary<Guid, DataTable> Parse(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var tables = new Dictionary<Guid, DataTable>();
        for (var position = 1; position <= values.Count; position++)
        {
            // A mistyped option can hold a connection string, password and all: messages name its position, never its text.
            var value = values[position - 1];
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            if (equals <= 0 || colon <= equals + 1 || colon == value.Length - 1 || !Guid.TryParse(value[..equals], out var cohortId))
            {
                throw new UsageException($"--data-table number {position} is not {Format}, such as 5b0c6f3e-...=postgresql:research.covid_ct.");
            }
            var provider = SqlProviders.Canonical(value[(equals + 1)..colon])
                ?? throw new UsageException($"--data-table number {position} names an unknown provider; use {SqlProviders.Sqlite} or {SqlProviders.PostgreSql}.");
            var table = value[(colon + 1)..];
            if (!SqlTableDataSource.IsTableName(table))
            {
                throw new UsageException($"--data-table number {position}: the table must be NAME or SCHEMA.NAME of letters, digits and '_' (connection strings go in the environment or the state folder).");
            }
            if (!tables.TryAdd(cohortId, new DataTable(provider, table)))
            {
                throw new UsageException($"--data-table names cohort {cohortId} twice.");
            }
        }
        return tables;
    }
}
