using Dragon.Contracts.Catalogue;

namespace Dragon.Node.Data;

/// <summary>Collects typed records row by row, leaving out (and reporting) rows with a bad pseudonym, a repeated subject or a bad value.</summary>
public sealed class LocalDataSetBuilder
{
    public delegate string? ValueReader(VariableDefinition variable, out object? value);

    private readonly IReadOnlyList<VariableDefinition> _variables;
    private readonly List<LocalRecord> _records = [];
    private readonly List<LocalDataProblem> _problems = [];
    private readonly Dictionary<string, int> _subjects = new(StringComparer.Ordinal);

    public LocalDataSetBuilder(IReadOnlyList<VariableDefinition> variables)
    {
        VariableTypes.Validate(variables);
        _variables = variables;
    }

    public void Add(int row, string? subjectRef, ValueReader read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var subject = subjectRef?.Trim();
        var subjectProblem = SubjectRefs.Check(subject);
        if (subjectProblem is not null)
        {
            _problems.Add(new LocalDataProblem(row, subjectProblem));
            return;
        }
        if (_subjects.TryGetValue(subject!, out var first))
        {
            _problems.Add(new LocalDataProblem(row, $"subject {subject} already appears in row {first}."));
            return;
        }
        _subjects[subject!] = row;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reasons = new List<string>();
        foreach (var variable in _variables)
        {
            var reason = read(variable, out var value);
            if (reason is null)
            {
                values[variable.Name!] = value;
            }
            else
            {
                reasons.Add(reason);
            }
        }
        if (reasons.Count > 0)
        {
            _problems.Add(new LocalDataProblem(row, string.Join(" ", reasons)));
            return;
        }
        _records.Add(new LocalRecord(subject!, values));
    }

    public void Problem(int row, string message) => _problems.Add(new LocalDataProblem(row, message));

    public LocalDataSet Build() => new(_records.ToArray(), _problems.ToArray());
}
