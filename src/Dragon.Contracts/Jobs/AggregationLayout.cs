using System.Globalization;

namespace Dragon.Contracts.Jobs;

/// <summary>A cohort variable as the layout needs it.</summary>
public sealed record LayoutVariable(string Name, string Type, IReadOnlyList<string>? Categories);

/// <summary>
/// The order of the numbers in a job's local vector, shared by the platform and the nodes so both read it the
/// same way: <c>count</c> [n]; <c>sum</c> and <c>mean</c> [sum, n]; <c>variance</c> [sum, sum of squares, n];
/// <c>histogram</c> one count per bin; <c>crosstab</c> one count per combination of categories (first
/// variable slowest). Decimals are fixed-point with <see cref="DecimalPlaces"/> places (squares with twice as many).
/// </summary>
public sealed record AggregationLayout(int Length, int DecimalPlaces, IReadOnlyList<IReadOnlyDictionary<string, string>> Groups)
{
    public const int DecimalVariablePlaces = 2;

    public static AggregationLayout For(AggregationSpec spec, IReadOnlyDictionary<string, LayoutVariable> variables)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(variables);
        var places = spec.Variable is not null && variables.TryGetValue(spec.Variable, out var v) && v.Type == "decimal" ? DecimalVariablePlaces : 0;
        return spec.Kind switch
        {
            "count" => new(1, 0, [Empty]),
            "sum" or "mean" => new(2, places, [Empty]),
            "variance" => new(3, places, [Empty]),
            "histogram" => new(spec.Bins!.Count - 1, 0, [.. Enumerable.Range(0, spec.Bins.Count - 1)
                .Select(i => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { [spec.Variable!] = BinLabel(spec.Bins[i], spec.Bins[i + 1]) })]),
            "crosstab" => Crosstab(spec.GroupBy!, variables),
            _ => throw new ArgumentException($"Unknown aggregation kind '{spec.Kind}'.", nameof(spec)),
        };
    }

    public static string BinLabel(double from, double to) =>
        string.Create(CultureInfo.InvariantCulture, $"[{from},{to})");

    /// <summary>The categories of a crosstab variable: its categories, or <c>true</c>/<c>false</c> for a boolean.</summary>
    public static IReadOnlyList<string> Categories(LayoutVariable variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return variable.Type == "boolean" ? ["true", "false"] : variable.Categories ?? [];
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private static AggregationLayout Crosstab(IReadOnlyList<string> groupBy, IReadOnlyDictionary<string, LayoutVariable> variables)
    {
        IEnumerable<Dictionary<string, string>> groups = [new Dictionary<string, string>()];
        foreach (var name in groupBy)
        {
            var categories = Categories(variables[name]);
            groups = groups.SelectMany(g => categories.Select(c => new Dictionary<string, string>(g) { [name] = c }));
        }
        var list = groups.Select(g => (IReadOnlyDictionary<string, string>)g).ToList();
        return new(list.Count, 0, list);
    }
}
