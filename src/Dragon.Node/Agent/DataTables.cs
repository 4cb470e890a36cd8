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
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            if (equals <= 0 || colon <= equals + 1 || colon == value.Length - 1 || !Guid.TryParse(value[..equals], out var cohortId))
            {
                throw new UsageException($"--data-table must be {Format}, such as 5b0c6f3e-...=postgresql:research.covid_ct, not '{value}'.");
            }
            var provider = SqlProviders.Canonical(value[(equals + 1)..colon])
                ?? throw new UsageException($"--data-table names provider '{value[(equals + 1)..colon]}'; use {SqlProviders.Sqlite} or {SqlProviders.PostgreSql}.");
            if (!tables.TryAdd(cohortId, new DataTable(provider, value[(colon + 1)..])))
            {
                throw new UsageException($"--data-table names cohort {cohortId} twice.");
            }
        }
        return tables;
    }
}
