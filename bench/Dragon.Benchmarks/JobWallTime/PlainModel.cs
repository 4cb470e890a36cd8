using System.Globalization;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;
using Dragon.Contracts.Privacy;
using Dragon.Node.Jobs;
using Dragon.Platform.Api.Demo;

namespace Dragon.Benchmarks.JobWallTime;

/// <summary>
/// The model of <see cref="ModelWallTimeBenchmarks"/>: the DRAGON question, death by age, CT severity, CRP, ICU admission
/// and sex (5 covariates, 6 parameters), as a logistic regression released exactly; and the same fit in plain text by
/// the nodes' own code: every round, each site reads its records, keeps its consenting ones and computes
/// <see cref="GlmLocalVector"/> at the round's coefficients; the sites' vectors are summed and
/// <see cref="GlmIteration"/> takes the step, until it converges. No encryption, no platform, no network.
/// </summary>
public static class PlainModel
{
    public static AggregationSpec Aggregation { get; } =
        new("glm", Family: "binomial", Link: "logit", Outcome: "outcome", Covariates: ["age", "ct_severity", "crp", "icu", "sex"],
            MaxIterations: GlmIteration.DefaultMaxIterations, Tolerance: GlmIteration.DefaultTolerance);

    public static IReadOnlyList<string> Variables { get; } = ["outcome", "age", "ct_severity", "crp", "icu", "sex"];

    private static readonly IReadOnlyList<LayoutVariable> Layout =
        [.. CovidCohort.Variables.Select(v => new LayoutVariable(v.Name!, v.Type!, v.Categories, v.Min, v.Max))];

    private static readonly GlmDesign Design = GlmDesign.For(Aggregation, Layout.ToDictionary(v => v.Name, StringComparer.Ordinal));

    public static BenchmarkQuery Benchmark { get; } = new(Aggregation, [], Variables, ReleaseModes.Exact, async (job, sites) =>
    {
        var plain = await FitAsync(sites, CancellationToken.None);
        var released = job.Result?.Model ?? throw new InvalidOperationException($"The benchmark model ended {job.Status}: {job.Failure}");
        return released.Coefficients.Zip(plain.Coefficients).All(p => Math.Abs(p.First.Estimate - p.Second.Estimate) <= 1e-9 * Math.Abs(p.Second.Estimate))
            ? string.Create(CultureInfo.InvariantCulture, $"first model released in {released.Iterations} rounds, its coefficients equal to the plain fit's")
            : throw new InvalidOperationException("The encrypted model's coefficients are not the plain fit's.");
    });

    public static async Task<ModelTable> FitAsync(IReadOnlyList<PlainSite> sites, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var progress = GlmProgress.Start(Design);
        var rules = new GlmRules(20, 0.33, 5);
        while (true)
        {
            var manifest = new JobTaskSpec(Guid.Empty, Guid.Empty, [], WallTimeQuery.Purpose, [], Aggregation, 0, 0, sites.Count, [], Layout, Model: progress);
            var vectors = await Task.WhenAll(sites.Select(site => Task.Run(() => LocalAsync(site, manifest, cancellationToken), cancellationToken)));
            var sum = new long[vectors[0].Length];
            foreach (var vector in vectors)
            {
                for (var i = 0; i < sum.Length; i++)
                {
                    sum[i] = checked(sum[i] + vector[i]);
                }
            }
            switch (GlmIteration.After(Aggregation, Design, progress, GlmSums.Read(GlmLayout.For(Design), sum), rules))
            {
                case GlmOutcome.NextRound next:
                    progress = next.Progress;
                    break;
                case GlmOutcome.Converged converged:
                    return converged.Table;
                case GlmOutcome.Failed failed:
                    throw new InvalidOperationException(failed.Reason);
            }
        }
    }

    private static async Task<long[]> LocalAsync(PlainSite site, JobTaskSpec manifest, CancellationToken cancellationToken)
    {
        var data = await site.Data.ReadAsync(CovidCohort.Variables, cancellationToken);
        return GlmLocalVector.Compute(manifest, data.Records.Where(r => PlainJob.Consents(site, r.SubjectRef)));
    }
}
