using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Jobs;
using Dragon.Node.Cli;
using Dragon.Node.Data;

namespace Dragon.Node.Jobs;

/// <summary>
/// The node's local vector for a job, laid out as <see cref="AggregationLayout"/> says: <c>count</c> [n];
/// <c>sum</c>/<c>mean</c> [sum, n]; <c>variance</c> [sum, sum of squares, n]; <c>histogram</c> a count per bin
/// [b_i, b_i+1); <c>crosstab</c> a count per category combination, first variable slowest. Decimals are scaled
/// by 10^places (squares by 10^(2 places)). A record missing the aggregated variable is not counted. A variable with
/// declared bounds has its values clipped to them first, and the vector ends with how many were clipped.
/// </summary>
public static class LocalVector
{
    public static long[] Compute(AggregationSpec spec, int decimalPlaces, IEnumerable<LocalRecord> records, IReadOnlyDictionary<string, VariableDefinition> variables)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(variables);
        var list = records.ToList();
        switch (spec.Kind)
        {
            case "count":
                return [list.Count];
            case "sum" or "mean":
            {
                var (values, clipped) = Clipped(Values(spec.Variable, list), variables.GetValueOrDefault(spec.Variable ?? ""));
                return [checked(values.Sum(v => Scale(v, decimalPlaces))), values.Count, .. clipped];
            }
            case "variance":
            {
                var (values, clipped) = Clipped(Values(spec.Variable, list), variables.GetValueOrDefault(spec.Variable ?? ""));
                return [checked(values.Sum(v => Scale(v, decimalPlaces))), checked(values.Sum(v => Scale(v * v, 2 * decimalPlaces))), values.Count, .. clipped];
            }
            case "histogram":
            {
                var bins = spec.Bins!;
                var counts = new long[bins.Count - 1];
                foreach (var value in Values(spec.Variable, list))
                {
                    for (var i = 0; i < counts.Length; i++)
                    {
                        if (value >= (decimal)bins[i] && value < (decimal)bins[i + 1])
                        {
                            counts[i]++;
                            break;
                        }
                    }
                }
                return counts;
            }
            case "crosstab":
                return Crosstab(spec.GroupBy!, list, variables);
            default:
                throw new NodeException($"Unknown aggregation kind '{spec.Kind}'.");
        }
    }

    private static List<decimal> Values(string? variable, List<LocalRecord> records) =>
        [.. records.Select(r => r.Values.GetValueOrDefault(variable ?? string.Empty)).Where(v => v is not null).Select(v => v switch
        {
            long integer => integer,
            decimal number => number,
            _ => throw new NodeException($"Variable '{variable}' is not numeric."),
        })];

    /// <summary>The values clipped to the variable's bounds, and how many were clipped; no count when it declares none.</summary>
    private static (List<decimal> Values, long[] Clipped) Clipped(List<decimal> values, VariableDefinition? variable)
    {
        if (variable is not { Min: { } min, Max: { } max })
        {
            return (values, []);
        }
        var clipped = values.Count(v => v < min || v > max);
        return ([.. values.Select(v => Math.Clamp(v, min, max))], [clipped]);
    }

    private static long Scale(decimal value, int places)
    {
        var factor = 1m;
        for (var i = 0; i < places; i++)
        {
            factor *= 10;
        }
        return (long)decimal.Round(value * factor, MidpointRounding.AwayFromZero);
    }

    private static long[] Crosstab(IReadOnlyList<string> groupBy, List<LocalRecord> records, IReadOnlyDictionary<string, VariableDefinition> variables)
    {
        var categories = groupBy.Select(name => AggregationLayout.Categories(Layout(variables[name]))).ToList();
        var counts = new long[categories.Aggregate(1, (size, c) => size * c.Count)];
        foreach (var record in records)
        {
            var index = 0;
            var complete = true;
            for (var g = 0; g < groupBy.Count; g++)
            {
                var label = record.Values.GetValueOrDefault(groupBy[g]) switch
                {
                    bool flag => flag ? "true" : "false",
                    string category => category,
                    _ => null,
                };
                var position = label is null ? -1 : IndexOf(categories[g], label);
                if (position < 0)
                {
                    complete = false;
                    break;
                }
                index = index * categories[g].Count + position;
            }
            if (complete)
            {
                counts[index]++;
            }
        }
        return counts;
    }

    private static int IndexOf(IReadOnlyList<string> categories, string label)
    {
        for (var i = 0; i < categories.Count; i++)
        {
            if (categories[i] == label)
            {
                return i;
            }
        }
        return -1;
    }

    private static LayoutVariable Layout(VariableDefinition variable) => new(variable.Name!, variable.Type!, variable.Categories);
}
