using System.Globalization;
using System.Text.Json;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
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

    /// <summary>
    /// The query as the wall-time benchmark runs it: released exactly (the default mode adds noise since agreements
    /// default to differential privacy, which no equality check survives), its mean checked against the plain one.
    /// </summary>
    public static BenchmarkQuery Benchmark { get; } = new(Aggregation, Filter, Variables, ReleaseModes.Exact, async (job, sites) =>
    {
        var plain = PlainJob.Mean(await PlainJob.ComputeAsync(sites, CancellationToken.None));
        var released = job.Result!.Cells[0].Value ?? throw new InvalidOperationException("The benchmark job's mean was suppressed.");
        return Math.Abs(released - plain) <= 1e-9 * Math.Abs(plain)
            ? string.Create(CultureInfo.InvariantCulture, $"first job released {released:F4} mg/L, equal to the plain computation")
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The encrypted job released {released}; the plain computation gives {plain}."));
    });

    /// <summary>The fixed-point places the platform lays the job out with, from the same shared layout code.</summary>
    public static int DecimalPlaces { get; } = AggregationLayout.For(Aggregation,
        CovidCohort.Variables.ToDictionary(v => v.Name!, v => new LayoutVariable(v.Name!, v.Type!, v.Categories), StringComparer.Ordinal)).DecimalPlaces;
}

/// <summary>A job both cases of a wall-time benchmark compute, and how the encrypted case's first release is checked against the plain computation (a message for the log, or an exception).</summary>
/// <param name="ReleaseMode">The agreement's release mode; null for the steward's default.</param>
public sealed record BenchmarkQuery(
    AggregationSpec Aggregation, IReadOnlyList<FilterCondition> Filter, IReadOnlyList<string> Variables, string? ReleaseMode,
    Func<JobResponse, IReadOnlyList<PlainSite>, Task<string>> Verify);
