using System.Globalization;

namespace Dragon.Contracts.Jobs;

/// <summary>A cohort variable as the layout needs it; <paramref name="Min"/> and <paramref name="Max"/> are its declared bounds (both or neither).</summary>
public sealed record LayoutVariable(string Name, string Type, IReadOnlyList<string>? Categories, decimal? Min = null, decimal? Max = null)
{
    public bool IsBounded => Min is not null && Max is not null;

    /// <summary>The largest magnitude a value clipped to the bounds can have; infinite without bounds. A method, so it is not serialized into manifests.</summary>
    public double LargestMagnitude() => IsBounded ? (double)Math.Max(Math.Abs(Min!.Value), Math.Abs(Max!.Value)) : double.PositiveInfinity;
}

/// <summary>
/// The order of the numbers in a job's local vector, shared by the platform and the nodes so both read it the
/// same way: <c>count</c> [n]; <c>sum</c> and <c>mean</c> [sum, n]; <c>variance</c> [sum, sum of squares, n];
/// <c>histogram</c> one count per bin; <c>crosstab</c> one count per combination of categories (first
/// variable slowest); <c>glm</c> one round of a model (<see cref="Models.GlmLayout"/>). Decimals are fixed-point with <see cref="DecimalPlaces"/> places (squares with twice as many).
/// A sum, mean or variance of a variable with declared bounds has one more number, <see cref="ClippedSlot"/>: how many
/// values the nodes clipped to the bounds.
/// </summary>
public sealed record AggregationLayout(int Length, int DecimalPlaces, IReadOnlyList<IReadOnlyDictionary<string, string>> Groups, int? ClippedSlot = null)
{
    public const int DecimalVariablePlaces = 2;

    /// <exception cref="ArgumentException">The kind is unknown, or lacks its bins or its groups' variables.</exception>
    public static AggregationLayout For(AggregationSpec spec, IReadOnlyDictionary<string, LayoutVariable> variables)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(variables);
        var variable = spec.Variable is null ? null : variables.GetValueOrDefault(spec.Variable);
        var places = variable?.Type == "decimal" ? DecimalVariablePlaces : 0;
        var bounded = variable?.IsBounded == true;
        return spec.Kind switch
        {
            "count" => new(1, 0, [Empty]),
            "sum" or "mean" => bounded ? new(3, places, [Empty], 2) : new(2, places, [Empty]),
            "variance" => bounded ? new(4, places, [Empty], 3) : new(3, places, [Empty]),
            "histogram" when spec.Bins is not { Count: >= 2 } => throw new ArgumentException("A histogram needs two or more bin edges.", nameof(spec)),
            "histogram" => new(spec.Bins.Count - 1, 0, [.. Enumerable.Range(0, spec.Bins.Count - 1)
                .Select(i => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { [spec.Variable!] = BinLabel(spec.Bins[i], spec.Bins[i + 1]) })]),
            "glm" => new(Models.GlmLayout.For(Models.GlmDesign.For(spec, variables)).Length, 0, [Empty]),
            "crosstab" => Crosstab(spec.GroupBy ?? throw new ArgumentException("A crosstab needs variables to group by.", nameof(spec)), variables),
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
            var categories = Categories(variables.TryGetValue(name, out var variable) ? variable : throw new ArgumentException($"No variable '{name}' to group by.", nameof(variables)));
            groups = groups.SelectMany(g => categories.Select(c => new Dictionary<string, string>(g) { [name] = c }));
        }
        var list = groups.Select(g => (IReadOnlyDictionary<string, string>)g).ToList();
        return new(list.Count, 0, list);
    }
}
