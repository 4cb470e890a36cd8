using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;
using Dragon.Contracts.Privacy;
using Dragon.Node.Data;
using Dragon.Node.Jobs;
using Dragon.Node.Privacy;

namespace Dragon.Node.Tests.Privacy;

/// <summary>
/// The noise of a differentially private model: no record moves a round's numbers by more than the sensitivities the
/// noise is calibrated to, whatever its values (out of bounds ones included) and the round's coefficients; and the
/// noise scale the released table states is the spread the estimates really have when the nodes add their noise.
/// </summary>
public sealed class ModelNoiseTests
{
    private static readonly Dictionary<string, LayoutVariable> Variables = new(StringComparer.Ordinal)
    {
        ["age"] = new("age", "integer", null, 18, 100),
        ["crp"] = new("crp", "decimal", null, -5, 300),
        ["icu"] = new("icu", "boolean", null),
        ["variant"] = new("variant", "categorical", ["alpha", "delta", "omicron"]),
        ["exposure"] = new("exposure", "decimal", null, -1, 2),
        ["died"] = new("died", "boolean", null),
        ["days"] = new("days", "integer", null, 0, 40),
        ["spo2"] = new("spo2", "decimal", null, 60, 100),
    };

    /// <summary>
    /// For each family, 300 random rounds (bounds-respecting coefficients of random sizes, 15 random records): one more
    /// record, drawn at or beyond the bounds, changes each group of numbers by at most its L2 sensitivity, and the
    /// numbers in no group not at all.
    /// </summary>
    [Theory]
    [InlineData("binomial", "died")]
    [InlineData("poisson", "days")]
    [InlineData("gaussian", "spo2")]
    public void OneRecord_MovesEachGroupOfARoundByNoMoreThanItsSensitivity(string family, string outcome)
    {
        var random = new Random(20261207);
        var aggregation = new AggregationSpec("glm", Family: family, Outcome: outcome, Covariates: ["age", "crp", "icu", "variant"],
            Offset: family == "binomial" ? null : "exposure", MaxIterations: 6);
        var design = GlmDesign.For(aggregation, Variables);
        var layout = GlmLayout.For(design);
        var bounds = design.Columns.Select(c => c.Variable is null || c.Category is not null ? 1 : Variables[c.Variable].LargestMagnitude()).ToArray();
        var largest = 0.0;
        for (var trial = 0; trial < 300; trial++)
        {
            // Linear predictors up to about 6 in magnitude: beyond what a real fit has, within what fixed point holds.
            var spread = random.NextDouble() * 6 / design.Parameters;
            var progress = new GlmProgress(trial % 6, [.. bounds.Select(b => (random.NextDouble() - 0.5) * 2 * spread / b)], (random.NextDouble() - 0.5) * 6);
            var job = Job(aggregation, design, progress);
            var records = Enumerable.Range(0, 15).Select(_ => Record(random, outcome, extreme: false)).ToList();
            var alone = GlmLocalVector.Compute(job, records);
            var joined = GlmLocalVector.Compute(job, [.. records, Record(random, outcome, extreme: true)]);

            var groups = GlmSensitivity.Groups(design, Variables, progress);
            foreach (var (slots, sensitivity) in groups)
            {
                var moved = Math.Sqrt(slots.Sum(slot => Math.Pow(joined[slot] - alone[slot], 2)));
                Assert.True(moved <= sensitivity, $"Trial {trial}: slots {string.Join(",", slots)} moved by {moved}, above their sensitivity {sensitivity}.");
                if (layout.IsScaled(slots[0]))
                {
                    largest = Math.Max(largest, moved / sensitivity);
                }
            }
            var unmoved = Enumerable.Range(0, alone.Length).Except(groups.SelectMany(g => g.Slots));
            Assert.All(unmoved, slot => Assert.Equal(alone[slot], joined[slot]));
        }
        // The bounds of the real sums are not loose beyond reason: some trial comes within a factor 2 of one of them.
        Assert.True(largest > 0.5, $"No record came near the sensitivity of a sum (largest share {largest}).");
    }

    /// <summary>
    /// For each family, the last round of a model over 3 x 2,000 records, at the exact fit's coefficients, released 400
    /// times with each node's real noise shares (seeded): each estimate's standard deviation across the releases is the
    /// noise scale the tables state within 15% (at 400 releases the sampling error of a standard deviation is 3.5%, so a
    /// correct scale fails this about once in 30,000 runs per coefficient), and their mean is the exact fit within 4.5
    /// standard errors of a mean.
    /// </summary>
    [Theory]
    [InlineData("binomial", "died")]
    [InlineData("poisson", "days")]
    [InlineData("gaussian", "spo2")]
    public void NoiseScale_IsTheSpreadOfPrivateEstimates_AroundTheExactFit(string family, string outcome)
    {
        const int releases = 400;
        var aggregation = new AggregationSpec("glm", Family: family, Outcome: outcome, Covariates: ["age", "icu"], MaxIterations: 6);
        var design = GlmDesign.For(aggregation, Variables);
        var layout = GlmLayout.For(design);
        var random = new Random(7);
        var sites = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 2000).Select(_ =>
        {
            var age = random.Next(18, 101);
            var icu = random.NextDouble() < 0.3;
            object y = outcome switch
            {
                "died" => random.NextDouble() < 1 / (1 + Math.Exp(-(-4 + (0.05 * age) + (icu ? 0.8 : 0)))),
                "days" => (long)Math.Min(40, Poisson(random, Math.Exp(0.2 + (0.01 * age) + (icu ? 0.3 : 0)))),
                _ => (decimal)Math.Clamp(99 - (0.1 * age) - (icu ? 3 : 0) + (4 * (random.NextDouble() - 0.5)), 60, 100),
            };
            return new LocalRecord("s", new Dictionary<string, object?> { ["age"] = (long)age, ["icu"] = icu, [outcome] = y });
        }).ToList()).ToList();

        // The exact fit: rounds without noise until the coefficients stop moving.
        var progress = GlmProgress.Start(design);
        for (var round = 0; round < 5; round++)
        {
            var exact = Sum(sites.Select(site => GlmLocalVector.Compute(Job(aggregation, design, progress) with { Privacy = null }, site)));
            var next = GlmSums.Read(layout, exact).Next(progress)!.Value;
            progress = new GlmProgress(round + 1, next.Coefficients, next.NullCoefficient);
        }
        var fit = GlmSums.Read(layout, Sum(sites.Select(site => GlmLocalVector.Compute(Job(aggregation, design, progress) with { Privacy = null }, site)))).Next(progress)!.Value.Coefficients;

        var job = Job(aggregation, design, progress);
        var local = sites.Select(site => GlmLocalVector.Compute(job, site)).ToList();
        var nodeVariances = NoiseCalibration.NodeVariances(aggregation, Variables, job.Privacy!.Rho, 3, progress);
        var totalVariances = NoiseCalibration.TotalVariances(aggregation, Variables, job.Privacy.Rho, 3, model: progress);
        var source = new SeededSource(11);
        var estimates = new List<double[]>();
        var scales = new List<double[]>();
        for (var release = 0; release < releases; release++)
        {
            var noisy = Sum(local.Select(vector =>
            {
                var copy = (long[])vector.Clone();
                NoiseShare.Add(copy, nodeVariances, source);
                return copy;
            }));
            var released = GlmIteration.After(aggregation, design, progress, GlmSums.Read(layout, noisy), new GlmRules(20, 0.33, 5), totalVariances);
            var table = Assert.IsType<GlmOutcome.Converged>(released).Table;
            estimates.Add([.. table.Coefficients.Select(c => c.Estimate)]);
            scales.Add([.. table.Coefficients.Select(c => c.NoiseScale!.Value)]);
        }

        for (var j = 0; j < design.Parameters; j++)
        {
            var values = estimates.Select(e => e[j]).ToList();
            var mean = values.Average();
            var spread = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (releases - 1));
            var stated = scales.Average(s => s[j]);
            Assert.InRange(spread / stated, 0.85, 1.15);
            Assert.InRange(mean - fit[j], -4.5 * spread / Math.Sqrt(releases), 4.5 * spread / Math.Sqrt(releases));
        }
    }

    private static int Poisson(Random random, double mean)
    {
        var (limit, count, product) = (Math.Exp(-mean), 0, random.NextDouble());
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }
        return count;
    }

    private static JobTaskSpec Job(AggregationSpec aggregation, GlmDesign design, GlmProgress progress) =>
        new(Guid.NewGuid(), Guid.Empty, [], "DUO:0000006", [], aggregation, GlmLayout.For(design).Length, 0, 3, [], [.. Variables.Values],
            new JobPrivacy(ReleaseModes.Dp, 0.5), Model: progress);

    private static long[] Sum(IEnumerable<long[]> vectors)
    {
        long[]? sum = null;
        foreach (var vector in vectors)
        {
            sum ??= new long[vector.Length];
            for (var i = 0; i < vector.Length; i++)
            {
                sum[i] += vector[i];
            }
        }
        return sum!;
    }

    /// <summary>A record with every variable; an extreme one takes each numeric value at a bound or beyond it (the node clips it).</summary>
    private static LocalRecord Record(Random random, string outcome, bool extreme)
    {
        double Numeric(string name)
        {
            var variable = Variables[name];
            var (low, high) = ((double)variable.Min!.Value, (double)variable.Max!.Value);
            return !extreme ? low + (random.NextDouble() * (high - low))
                : random.Next(4) switch { 0 => low, 1 => high, 2 => low - (random.NextDouble() * 50), _ => high + (random.NextDouble() * 50) };
        }
        var values = new Dictionary<string, object?>
        {
            ["age"] = (long)Math.Round(Numeric("age")),
            ["crp"] = (decimal)Numeric("crp"),
            ["icu"] = random.Next(2) == 0,
            ["variant"] = new[] { "alpha", "delta", "omicron" }[random.Next(3)],
            ["exposure"] = (decimal)Numeric("exposure"),
        };
        values[outcome] = outcome switch
        {
            "died" => random.Next(2) == 0,
            "days" => (object)(long)Math.Max(0, Math.Round(Numeric("days"))),
            _ => (decimal)Numeric("spo2"),
        };
        return new LocalRecord($"s-{random.Next()}", values);
    }
}
