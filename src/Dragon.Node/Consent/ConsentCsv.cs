using Dragon.Contracts.Consent;
using Dragon.Node.Cli;
using Dragon.Node.Data;

namespace Dragon.Node.Consent;

/// <summary>
/// A consents file: CSV with the header <c>subject_ref,cohort_id,purposes,status</c> (any order, optionally an
/// <c>evidence</c> column); purposes are DUO codes separated by <c>;</c>, status is <c>granted</c> or <c>withdrawn</c>.
/// </summary>
public static class ConsentCsv
{
    private static readonly string[] Required = ["subject_ref", "cohort_id", "purposes", "status"];
    private const string Evidence = "evidence";

    /// <exception cref="NodeException">The file is missing or its header is wrong.</exception>
    public static IReadOnlyList<ConsentRow> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new NodeException($"The consents file {path} does not exist.");
        }
        using var reader = new StreamReader(path);
        using var rows = CsvReader.Read(reader).GetEnumerator();
        if (!rows.MoveNext())
        {
            throw new NodeException($"{path} is empty; it needs the header {string.Join(",", Required)}.");
        }
        var columns = Columns(path, rows.Current.Fields);
        var result = new List<ConsentRow>();
        while (rows.MoveNext())
        {
            result.Add(Row(rows.Current, columns));
        }
        return result;
    }

    private static Dictionary<string, int> Columns(string path, IReadOnlyList<string> header)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (!Required.Contains(name, StringComparer.Ordinal) && name != Evidence)
            {
                throw new NodeException($"{path}: unknown column '{name}'; the columns are {string.Join(",", Required)} and optionally {Evidence}.");
            }
            if (!columns.TryAdd(name, i))
            {
                throw new NodeException($"{path}: the header names column '{name}' twice.");
            }
        }
        var missing = Required.Where(r => !columns.ContainsKey(r)).ToList();
        return missing.Count == 0
            ? columns
            : throw new NodeException($"{path}: the header lacks {string.Join(", ", missing)}.");
    }

    private static ConsentRow Row(CsvRow row, Dictionary<string, int> columns)
    {
        if (row.Fields.Count != columns.Count)
        {
            return new ConsentRow(row.Line, string.Empty, null, $"expected {columns.Count} fields as in the header, found {row.Fields.Count}.");
        }
        string Field(string name) => row.Fields[columns[name]].Trim();
        var subject = Field("subject_ref");
        if (!Guid.TryParse(Field("cohort_id"), out var cohortId))
        {
            return new ConsentRow(row.Line, subject, null, $"cohort_id '{Field("cohort_id")}' is not a cohort id (a GUID, as publish-cohort prints).");
        }
        var purposes = Field("purposes").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var evidence = columns.ContainsKey(Evidence) && Field(Evidence).Length > 0 ? Field(Evidence) : null;
        return new ConsentRow(row.Line, subject, new ConsentRequest(subject, cohortId, purposes, Field("status"), evidence), null);
    }
}
