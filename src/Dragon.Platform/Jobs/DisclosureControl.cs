using Dragon.Contracts.Jobs;

namespace Dragon.Platform.Jobs;

/// <summary>
/// Turns a decrypted aggregate into released cells under <c>policies/disclosure.json</c>: counts below the
/// minimum are suppressed (zero is shown: it singles out nobody), means and variances over fewer records than
/// the minimum are suppressed, and secondary suppression hides one more cell wherever a single suppressed cell
/// could be recovered from a total (the whole table, and each row and column of a two-way table).
/// </summary>
public static class DisclosureControl
{
    public static IReadOnlyList<ResultCell> Release(AggregationSpec spec, AggregationLayout layout, long[] vector, int minCellCount)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(vector);
        var scale = Math.Pow(10, layout.DecimalPlaces);
        var empty = new Dictionary<string, string>();
        switch (spec.Kind)
        {
            case "count":
                return [Cell(empty, vector[0], vector[0], minCellCount)];
            case "sum":
                return [Cell(empty, vector[0] / scale, vector[1], minCellCount)];
            case "mean":
                return [Cell(empty, vector[1] == 0 ? null : vector[0] / scale / vector[1], vector[1], minCellCount)];
            case "variance":
                var n = vector[2];
                double? variance = n < 2 ? null : ((vector[1] / (scale * scale)) - (vector[0] / scale * (vector[0] / scale) / n)) / (n - 1);
                return [Cell(empty, variance, n, minCellCount)];
            default:
                return Table(layout, vector, minCellCount, spec.GroupBy?.Count == 2 ? Categories(layout, spec.GroupBy) : null);
        }
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

    private static ResultCell Cell(IReadOnlyDictionary<string, string> group, double? value, long records, int minCellCount) =>
        records < minCellCount || value is null ? new ResultCell(group, null, true) : new ResultCell(group, value, false);

    private static (int Rows, int Columns) Categories(AggregationLayout layout, IReadOnlyList<string> groupBy)
    {
        var columns = layout.Groups.Select(g => g[groupBy[1]]).Distinct().Count();
        return (layout.Groups.Count / columns, columns);
    }

    private static ResultCell[] Table(AggregationLayout layout, long[] counts, int minCellCount, (int Rows, int Columns)? shape)
    {
        var cells = layout.Groups.Count;
        var suppressed = new bool[cells];
        for (var i = 0; i < cells; i++)
        {
            suppressed[i] = counts[i] > 0 && counts[i] < minCellCount;
        }
        var lines = new List<int[]> { Enumerable.Range(0, cells).ToArray() };
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
        return [.. Enumerable.Range(0, cells).Select(i => new ResultCell(layout.Groups[i], suppressed[i] ? null : counts[i], suppressed[i]))];
    }
}
