using Dragon.Contracts.Catalogue;
using Dragon.Node.Cli;

namespace Dragon.Node.Data;

/// <summary>
/// A cohort's records in a CSV file: a header with <c>subject_ref</c> and one column per cohort variable (in any
/// order; a column that is not a variable is refused, so a misspelt one is not silently dropped).
/// </summary>
public sealed class CsvDataSource(string path) : ILocalDataSource
{
    public string Description => path;

    public Task<LocalDataSet> ReadAsync(IReadOnlyList<VariableDefinition> variables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var builder = new LocalDataSetBuilder(variables);
        if (!File.Exists(path))
        {
            throw new NodeException($"The data file {path} does not exist.");
        }
        using var reader = new StreamReader(path);
        using var rows = CsvReader.Read(reader).GetEnumerator();
        if (!rows.MoveNext())
        {
            throw new NodeException($"{path} is empty; it needs a header with {VariableTypes.SubjectColumn} and the cohort's variables.");
        }
        var columns = Columns(rows.Current.Fields, variables);
        while (rows.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = rows.Current;
            if (row.Fields.Count != columns.Count + 1)
            {
                builder.Problem(row.Line, $"expected {columns.Count + 1} fields as in the header, found {row.Fields.Count}.");
                continue;
            }
            builder.Add(row.Line, row.Fields[columns.Subject], (VariableDefinition variable, out object? value) =>
                VariableValues.TryParse(variable, row.Fields[columns.Of(variable)], out value));
        }
        return Task.FromResult(builder.Build());
    }

    private ColumnMap Columns(IReadOnlyList<string> header, IReadOnlyList<VariableDefinition> variables)
    {
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (!positions.TryAdd(name, i))
            {
                throw new NodeException($"{path}: the header names column '{name}' twice.");
            }
        }
        if (!positions.TryGetValue(VariableTypes.SubjectColumn, out var subject))
        {
            throw new NodeException($"{path}: the header has no {VariableTypes.SubjectColumn} column.");
        }
        var missing = variables.Where(v => !positions.ContainsKey(v.Name!)).Select(v => v.Name).ToList();
        if (missing.Count > 0)
        {
            throw new NodeException($"{path}: the header lacks the cohort's variable(s) {string.Join(", ", missing)}.");
        }
        var unknown = positions.Keys.Where(n => n != VariableTypes.SubjectColumn && variables.All(v => v.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new NodeException($"{path}: column(s) {string.Join(", ", unknown)} are not variables of the cohort.");
        }
        return new ColumnMap(subject, positions, variables.Count);
    }

    private sealed record ColumnMap(int Subject, IReadOnlyDictionary<string, int> Positions, int Count)
    {
        public int Of(VariableDefinition variable) => Positions[variable.Name!];
    }
}
