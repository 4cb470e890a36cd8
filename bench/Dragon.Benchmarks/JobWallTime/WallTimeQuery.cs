using System.Text.Json;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Api.Demo;

namespace Dragon.Benchmarks.JobWallTime;

/// <summary>
/// The job both sides of <see cref="JobWallTimeBenchmarks"/> compute: the mean CRP at admission (a decimal, so
/// fixed-point with two places) of the consenting patients who died (a filter on a categorical variable), under the
/// purpose health/medical research. It walks every step a record can take at a node: parsed, checked for consent,
/// filtered, scaled and summed.
/// </summary>
public static class WallTimeQuery
{
    public const string Purpose = "DUO:0000006";

    public static AggregationSpec Aggregation { get; } = new("mean", "crp");

    public static IReadOnlyList<FilterCondition> Filter { get; } =
        [new("outcome", "eq", JsonSerializer.SerializeToElement("deceased"))];

    /// <summary>The variables the agreement covers: the aggregated one and the filtered one.</summary>
    public static IReadOnlyList<string> Variables { get; } = ["crp", "outcome"];

    /// <summary>The fixed-point places the platform lays the job out with, from the same shared layout code.</summary>
    public static int DecimalPlaces { get; } = AggregationLayout.For(Aggregation,
        CovidCohort.Variables.ToDictionary(v => v.Name!, v => new LayoutVariable(v.Name!, v.Type!, v.Categories), StringComparer.Ordinal)).DecimalPlaces;
}
