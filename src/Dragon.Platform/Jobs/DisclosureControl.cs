using Dragon.Contracts.Jobs;

namespace Dragon.Platform.Jobs;

/// <summary>An exact release: its cells and, when counted, the selected records that added nothing to them.</summary>
public sealed record ExactRelease(IReadOnlyList<ResultCell> Cells, ResultCell? Missing);

/// <summary>
/// Turns a decrypted aggregate into released cells under <c>policies/disclosure.json</c>: counts below the
/// minimum are suppressed (zero is shown: it singles out nobody), means and variances over fewer records than
/// the minimum are suppressed, and secondary suppression hides one more cell wherever a single suppressed cell
/// could be recovered from a total (the whole table, and each row and column of a two-way table). The count of
/// missing values is a cell of the whole table too, since the table and it add up to the filter's count: for a sum,
/// mean or variance it is hidden whenever the value is. A dominated sum, mean or variance is suppressed.
/// </summary>
public static class DisclosureControl
{
    /// <param name="missing">How many selected records lack the value or fall in no bin or category; null when not counted.</param>
    /// <param name="dominated">Whether the largest contributions make too much of the total (the n-k rule).</param>
    public static ExactRelease Release(AggregationSpec spec, AggregationLayout layout, long[] vector, int minCellCount, long? missing = null, bool dominated = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(vector);
        var scale = Math.Pow(10, layout.DecimalPlaces);
        var empty = new Dictionary<string, string>();
        ResultCell cell;
        switch (spec.Kind)
        {
            case "count":
                return new([Cell(empty, vector[0], vector[0], minCellCount)], null);
            case "sum":
                cell = Cell(empty, vector[0] / scale, vector[1], minCellCount, dominated);
                break;
            case "mean":
                cell = Cell(empty, vector[1] == 0 ? null : vector[0] / scale / vector[1], vector[1], minCellCount, dominated);
                break;
            case "variance":
                var n = vector[2];
                double? variance = n < 2 ? null : ((vector[1] / (scale * scale)) - (vector[0] / scale * (vector[0] / scale) / n)) / (n - 1);
                cell = Cell(empty, variance, n, minCellCount, dominated);
                break;
            default:
                return Table(layout, vector, minCellCount, spec.GroupBy?.Count == 2 ? Categories(layout, spec.GroupBy) : null, missing);
        }
        return new([cell], missing is not { } m ? null : cell.Suppressed ? new ResultCell(empty, null, true) : Count(empty, m, minCellCount));
    }

    /// <summary>The count of clipped values, for a layout that has one, under the minimum-cell rule like any count.</summary>
    public static ResultCell? Clipped(AggregationLayout layout, long[] vector, int minCellCount)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(vector);
        return layout.ClippedSlot is { } slot ? Count(new Dictionary<string, string>(), vector[slot], minCellCount) : null;
    }

    private static ResultCell Count(IReadOnlyDictionary<string, string> group, long count, int minCellCount) =>
        count > 0 && count < minCellCount ? new ResultCell(group, null, true) : new ResultCell(group, count, false);

    private static ResultCell Cell(IReadOnlyDictionary<string, string> group, double? value, long records, int minCellCount, bool dominated = false) =>
        records < minCellCount || value is null || dominated ? new ResultCell(group, null, true) : new ResultCell(group, value, false);

    private static (int Rows, int Columns) Categories(AggregationLayout layout, IReadOnlyList<string> groupBy)
    {
        var columns = layout.Groups.Select(g => g[groupBy[1]]).Distinct().Count();
        return (layout.Groups.Count / columns, columns);
    }

    /// <summary>The table's cells under primary and secondary suppression; a missing count is one more cell of the whole table's line.</summary>
    private static ExactRelease Table(AggregationLayout layout, long[] vector, int minCellCount, (int Rows, int Columns)? shape, long? missing)
    {
        var cells = layout.Groups.Count;
        long[] counts = missing is { } m ? [.. vector[..cells], m] : vector[..cells];
        var suppressed = counts.Select(c => c > 0 && c < minCellCount).ToArray();
        var lines = new List<int[]> { Enumerable.Range(0, counts.Length).ToArray() };
        if (shape is { } s)
        {
            lines.AddRange(Enumerable.Range(0, s.Rows).Select(r => Enumerable.Range(0, s.Columns).Select(c => (r * s.Columns) + c).ToArray()));
            lines.AddRange(Enumerable.Range(0, s.Columns).Select(c => Enumerable.Range(0, s.Rows).Select(r => (r * s.Columns) + c).ToArray()));
        }
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var line in lines)
            {
                if (line.Count(i => suppressed[i]) != 1)
                {
                    continue;
                }
                var partner = line.Where(i => !suppressed[i]).OrderBy(i => counts[i] == 0 ? long.MaxValue : counts[i]).Cast<int?>().FirstOrDefault();
                if (partner is { } p)
                {
                    suppressed[p] = true;
                    changed = true;
                }
            }
        }
        var empty = new Dictionary<string, string>();
        return new([.. Enumerable.Range(0, cells).Select(i => new ResultCell(layout.Groups[i], suppressed[i] ? null : counts[i], suppressed[i]))],
            missing is null ? null : new ResultCell(empty, suppressed[cells] ? null : counts[cells], suppressed[cells]));
    }
}
