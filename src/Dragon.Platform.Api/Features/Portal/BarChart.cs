using System.Globalization;
using Dragon.Contracts.Jobs;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>
/// A horizontal bar chart of a released histogram or crosstab, laid out on the server and drawn as inline SVG:
/// no script, no inline style, and it scales down to a phone's width.
/// </summary>
public sealed record BarChart(string Title, IReadOnlyList<BarChart.Bar> Bars, string ViewBox, string AxisX, string AxisBottom)
{
    private const double Width = 400;
    private const double LabelWidth = 130;
    private const double ValueWidth = 56;
    private const double BarHeight = 22;
    private const double Gap = 8;
    private const int MaxLabelLength = 18;

    /// <summary>One cell: its label, and where its bar and texts go (all coordinates already formatted for SVG).</summary>
    /// <param name="WhiskerFrom">For a noisy cell, where the line of its 95% interval starts and ends; null otherwise.</param>
    public sealed record Bar(string Label, string ShortLabel, string ValueText, bool Suppressed, string Y, string TextY, string BarWidth, string ValueX,
        string? WhiskerFrom = null, string? WhiskerTo = null, string? WhiskerY = null);

    /// <summary>The chart of a histogram or crosstab result; null for the kinds that are a single number.</summary>
    public static BarChart? From(JobResult result, AggregationSpec aggregation)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(aggregation);
        if (result.Kind is not ("histogram" or "crosstab") || result.Cells.Count == 0)
        {
            return null;
        }
        var max = result.Cells.Where(c => !c.Suppressed && c.Value is not null).Select(c => Math.Max(c.Value!.Value, c.Interval?.High ?? 0)).DefaultIfEmpty(0).Max();
        var area = Width - LabelWidth - ValueWidth;
        var bars = new List<Bar>(result.Cells.Count);
        for (var i = 0; i < result.Cells.Count; i++)
        {
            var cell = result.Cells[i];
            var label = CellLabel(cell);
            var y = Gap + (i * (BarHeight + Gap));
            var length = cell.Suppressed || cell.Value is null || max <= 0 || cell.Value < 0 ? 0 : Math.Max(1, cell.Value.Value / max * area);
            double X(double value) => max <= 0 ? 0 : Math.Clamp(value / max * area, 0, area);
            var whisker = cell.Suppressed || cell.Value is null ? null : cell.Interval;
            var end = whisker is null ? length : Math.Max(length, X(whisker.High));
            bars.Add(new Bar(
                label,
                label.Length > MaxLabelLength ? label[..(MaxLabelLength - 1)] + "…" : label,
                cell.Suppressed || cell.Value is null ? "suppressed" : PortalFormat.Number(cell.Value.Value),
                cell.Suppressed || cell.Value is null,
                Svg(y),
                Svg(y + (BarHeight / 2) + 4.5),
                Svg(length),
                Svg(LabelWidth + end + 4),
                whisker is null ? null : Svg(LabelWidth + X(whisker.Low)),
                whisker is null ? null : Svg(LabelWidth + X(whisker.High)),
                Svg(y + (BarHeight / 2))));
        }
        var height = Gap + (result.Cells.Count * (BarHeight + Gap));
        var variables = result.Kind == "histogram" ? [aggregation.Variable ?? ""] : aggregation.GroupBy ?? [];
        return new BarChart(
            $"Number of records by {string.Join(" and ", variables)}",
            bars,
            $"0 0 {Svg(Width)} {Svg(height)}",
            Svg(LabelWidth),
            Svg(height));
    }

    public static string LabelX => Svg(LabelWidth - 6);

    public static string BarHeightText => Svg(BarHeight);

    /// <summary>A cell's group as people read it: <c>[40,60)</c>, or <c>female / true</c> for a crosstab.</summary>
    public static string CellLabel(ResultCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Group.Count == 0 ? "all records" : string.Join(" / ", cell.Group.Values);
    }

    private static string Svg(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
