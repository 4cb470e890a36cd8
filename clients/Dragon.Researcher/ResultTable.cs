using System.Globalization;
using System.Text;
using Dragon.Contracts.Jobs;

namespace Dragon.Researcher;

/// <summary>A released job's cells as a table: one column per grouping variable, then the value, the interval and whether the cell was suppressed.</summary>
public sealed class ResultTable
{
    private readonly List<string> _columns;
    private readonly List<string[]> _rows;

    public ResultTable(JobResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var groups = result.Cells.SelectMany(c => c.Group.Keys).Distinct(StringComparer.Ordinal).ToList();
        _columns = [.. groups, "value", "low", "high", "suppressed"];
        _rows = [.. result.Cells.Select(cell => (string[])[
            .. groups.Select(g => cell.Group.GetValueOrDefault(g) ?? ""),
            Number(cell.Value), Number(cell.Interval?.Low), Number(cell.Interval?.High), cell.Suppressed ? "yes" : "no"])];
    }

    /// <summary>Aligned columns for a terminal.</summary>
    public string ToText()
    {
        var widths = _columns.Select((c, i) => Math.Max(c.Length, _rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToList();
        var text = new StringBuilder();
        foreach (var row in new[] { _columns.ToArray() }.Concat(_rows))
        {
            text.AppendJoin("  ", row.Select((value, i) => value.PadRight(widths[i]))).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>RFC 4180 CSV; a cell that a spreadsheet would run as a formula is written as text.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        foreach (var row in new[] { _columns.ToArray() }.Concat(_rows))
        {
            text.AppendJoin(',', row.Select(Field)).Append("\r\n");
        }
        return text.ToString();
    }

    private static string Number(double? value) => value?.ToString("G10", CultureInfo.InvariantCulture) ?? "";

    private static string Field(string value)
    {
        var safe = value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? "'" + value
            : value;
        return safe.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{safe.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : safe;
    }
}
