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
                var counts = new long[spec.Bins!.Count - 1];
                foreach (var value in Values(spec.Variable, list))
                {
                    if (Bin(spec.Bins, value) is { } bin)
                    {
                        counts[bin]++;
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

    /// <summary>
    /// Whether the record adds to the aggregation when selected: always for a count; for a sum, mean or variance when it
    /// has the value; for a histogram when the value is in a bin; for a crosstab when it is in a category of each variable.
    /// </summary>
    public static bool Contributes(AggregationSpec spec, LocalRecord record, IReadOnlyDictionary<string, VariableDefinition> variables)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(variables);
        return spec.Kind switch
        {
            "count" => true,
            "sum" or "mean" or "variance" => Numeric(spec.Variable, record) is not null,
            "histogram" => Numeric(spec.Variable, record) is { } value && spec.Bins is { Count: >= 2 } bins && Bin(bins, value) is not null,
            "crosstab" => spec.GroupBy is { } groupBy && groupBy.All(variables.ContainsKey) && CrosstabIndex(groupBy, record, Categories(groupBy, variables)) is not null,
            "glm" => ModelDesign(spec, variables) is { } design && GlmLocalVector.Complete(design, record),
            _ => false,
        };
    }

    private static Contracts.Models.GlmDesign? ModelDesign(AggregationSpec spec, IReadOnlyDictionary<string, VariableDefinition> variables)
    {
        try
        {
            return Contracts.Models.GlmDesign.For(spec, variables.ToDictionary(v => v.Key, v => Layout(v.Value), StringComparer.Ordinal));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The records' values of a numeric variable, clipped to its declared bounds when it has them.</summary>
    public static List<decimal> ClippedValues(string? variable, IEnumerable<LocalRecord> records, IReadOnlyDictionary<string, VariableDefinition> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return Clipped(Values(variable, [.. records]), variables.GetValueOrDefault(variable ?? "")).Values;
    }

    /// <summary>The value in fixed point with <paramref name="places"/> decimal places, rounded half away from zero.</summary>
    public static long Scale(decimal value, int places)
    {
        var factor = 1m;
        for (var i = 0; i < places; i++)
        {
            factor *= 10;
        }
        return (long)decimal.Round(value * factor, MidpointRounding.AwayFromZero);
    }

    private static decimal? Numeric(string? variable, LocalRecord record) =>
        record.Values.GetValueOrDefault(variable ?? string.Empty) switch
        {
            null => null,
            long integer => integer,
            decimal number => number,
            _ => throw new NodeException($"Variable '{variable}' is not numeric."),
        };

    private static List<decimal> Values(string? variable, List<LocalRecord> records) =>
        [.. records.Select(r => Numeric(variable, r)).OfType<decimal>()];

    /// <summary>The bin [b_i, b_i+1) the value falls in, if any.</summary>
    private static int? Bin(IReadOnlyList<double> bins, decimal value)
    {
        for (var i = 0; i < bins.Count - 1; i++)
        {
            if (value >= (decimal)bins[i] && value < (decimal)bins[i + 1])
            {
                return i;
            }
        }
        return null;
    }

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

    private static long[] Crosstab(IReadOnlyList<string> groupBy, List<LocalRecord> records, IReadOnlyDictionary<string, VariableDefinition> variables)
    {
        var categories = Categories(groupBy, variables);
        var counts = new long[categories.Aggregate(1, (size, c) => size * c.Count)];
        foreach (var record in records)
        {
            if (CrosstabIndex(groupBy, record, categories) is { } index)
            {
                counts[index]++;
            }
        }
        return counts;
    }

    private static List<IReadOnlyList<string>> Categories(IReadOnlyList<string> groupBy, IReadOnlyDictionary<string, VariableDefinition> variables) =>
        [.. groupBy.Select(name => AggregationLayout.Categories(Layout(variables[name])))];

    /// <summary>The record's cell of the crosstab; null when a variable is missing or has a category the job does not know.</summary>
    private static int? CrosstabIndex(IReadOnlyList<string> groupBy, LocalRecord record, List<IReadOnlyList<string>> categories)
    {
        var index = 0;
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
                return null;
            }
            index = (index * categories[g].Count) + position;
        }
        return index;
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
