using System.Globalization;
using System.Text;
using Dragon.Contracts.Jobs;

namespace Dragon.Platform.Api.Demo;

/// <summary>A released result as indented lines of text: one line per cell, its group and its value or <c>suppressed</c>.</summary>
public static class ResultText
{
    public static string Format(JobResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        foreach (var cell in result.Cells)
        {
            var group = cell.Group.Count == 0 ? "all" : string.Join(", ", cell.Group.Select(g => $"{g.Key}={g.Value}"));
            var value = cell.Suppressed || cell.Value is not { } v ? "suppressed (fewer than the minimum records)" : v.ToString("#,0.##", CultureInfo.InvariantCulture);
            if (cell.Interval is { } interval)
            {
                value += string.Create(CultureInfo.InvariantCulture, $"  (95% interval {interval.Low:#,0.##} to {interval.High:#,0.##})");
            }
            text.Append(CultureInfo.InvariantCulture, $"    {group,-32} {value}\n");
        }
        return text.ToString();
    }
}
