using System.Data.Common;
using System.Text.RegularExpressions;
using Dragon.Contracts.Catalogue;
using Dragon.Node.Cli;

namespace Dragon.Node.Data;

/// <summary>
/// A cohort's records in a database table or view, read through ADO.NET: a <c>subject_ref</c> column and one column
/// per cohort variable, named as the variables. Works with any provider that quotes identifiers the standard way
/// (<c>"name"</c>): SQLite and PostgreSQL (see <see cref="SqlProviders"/>).
/// </summary>
public sealed partial class SqlTableDataSource : ILocalDataSource
{
    private readonly DbProviderFactory _factory;
    private readonly string _connectionString;
    private readonly string _table;

    /// <param name="table">A table or view, optionally with its schema: <c>cohort_data</c> or <c>research.cohort_data</c>.</param>
    /// <exception cref="NodeException">The table name is not a plain identifier.</exception>
    public SqlTableDataSource(DbProviderFactory factory, string connectionString, string table)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        _factory = factory;
        _connectionString = connectionString;
        _table = string.Join('.', table.Split('.').Select(part => Quote(part, "table")));
        Description = $"table {table}";
    }

    public string Description { get; }

    public async Task<LocalDataSet> ReadAsync(IReadOnlyList<VariableDefinition> variables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var builder = new LocalDataSetBuilder(variables);
        var columns = variables.Select(v => Quote(v.Name!, "variable")).Prepend(Quote(VariableTypes.SubjectColumn, "column"));
        var connection = _factory.CreateConnection()
            ?? throw new NodeException($"The database provider {_factory.GetType().Name} cannot make connections.");
        await using (connection)
        {
            connection.ConnectionString = _connectionString;
            try
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT {string.Join(", ", columns)} FROM {_table} ORDER BY 1";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var row = 0;
                while (await reader.ReadAsync(cancellationToken))
                {
                    row++;
                    var subject = reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
                    var values = new Dictionary<string, object?>(StringComparer.Ordinal);
                    for (var i = 0; i < variables.Count; i++)
                    {
                        values[variables[i].Name!] = reader.GetValue(i + 1);
                    }
                    builder.Add(row, subject, (VariableDefinition variable, out object? value) =>
                        VariableValues.TryConvert(variable, values[variable.Name!], out value));
                }
            }
            catch (DbException exception)
            {
                throw new NodeException($"Reading {Description}: {exception.Message}", exception);
            }
        }
        return builder.Build();
    }

    /// <summary>Whether <paramref name="table"/> is a plain identifier, optionally after a schema and a dot.</summary>
    public static bool IsTableName(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Split('.') is { Length: 1 or 2 } parts && parts.All(Identifier().IsMatch);
    }

    private static string Quote(string name, string what) =>
        Identifier().IsMatch(name)
            ? $"\"{name}\""
            : throw new NodeException($"A {what} name must start with a letter or '_' and hold only letters, digits and '_' to be read from a database (the name is not repeated here, in case it holds a secret).");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
