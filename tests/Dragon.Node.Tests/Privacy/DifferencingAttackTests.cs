using System.Text.Json;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Node.Data;
using Dragon.Node.Jobs;
using Dragon.Node.Privacy;
using Dragon.Platform.Jobs;

namespace Dragon.Node.Tests.Privacy;

/// <summary>
/// The differencing attack of issue 14 against differentially private releases, played 200 times: a researcher asks for
/// sum(crp | age >= 40) and sum(crp | age >= 40 and age ne 57) and subtracts them to learn the crp of the one patient
/// aged 57. Each of three nodes computes its vector and adds its noise share as the agent does; the sum is released as
/// the platform releases it (encryption is exact, so it is left out here). The attacker's error must have the spread
/// the calibration promises, so the patient's value is not recovered.
/// </summary>
public sealed class DifferencingAttackTests
{
    private const int Repetitions = 200;
    private const double Rho = 0.02;

    /// <summary>Standard normal quantile at 1 - 1e-6 / 2: every check below has a two-sided false-alarm rate of 1e-6.</summary>
    private const double Z = 4.891638;

    private static readonly VariableDefinition Age = new("age", "Age", "integer");
    private static readonly VariableDefinition Crp = new("crp", "CRP", "integer", Min: 0, Max: 500);
    private static readonly Dictionary<string, VariableDefinition> Variables = new(StringComparer.Ordinal) { ["age"] = Age, ["crp"] = Crp };
    private static readonly Dictionary<string, LayoutVariable> Layout = Variables.ToDictionary(v => v.Key, v => new LayoutVariable(v.Key, v.Value.Type!, null, v.Value.Min, v.Value.Max), StringComparer.Ordinal);

    [Fact]
    public void DifferenceOfTwoNoisySums_MissesThePatientsValue_WithTheCalibratedSpread()
    {
        var nodes = Enumerable.Range(0, 3).Select(Hospital).ToList();
        var target = nodes.SelectMany(n => n).Single(r => (long)r.Values["age"]! == 57);
        var truth = (double)(long)target.Values["crp"]!;
        var spec = new AggregationSpec("sum", "crp");
        FilterCondition[] older = [Condition("age", "ge", 40)];
        FilterCondition[] olderBut57 = [.. older, Condition("age", "ne", 57)];
        var variances = NoiseCalibration.NodeVariances(spec, Layout, Rho, nodes.Count);
        var releaseScale = Math.Sqrt(NoiseCalibration.TotalVariances(spec, Layout, Rho, nodes.Count)[0]);

        var errors = new double[Repetitions];
        for (var r = 0; r < Repetitions; r++)
        {
            var random = new SeededSource(1000 + r);
            errors[r] = Release(nodes, spec, older, variances, random) - Release(nodes, spec, olderBut57, variances, random) - truth;
        }

        // The error is the difference of two independent releases' noise: variance 2 sigma^2, sigma the release's noise scale.
        var variance = errors.Sum(e => e * e) / Repetitions;
        var (low, high) = ChiSquareBounds(Repetitions);
        Assert.InRange(variance * Repetitions / (2 * releaseScale * releaseScale), low, high);
        Assert.InRange(Math.Abs(errors.Average()), 0, Z * Math.Sqrt(2 * releaseScale * releaseScale / Repetitions));
        // P(|N(0, 2 sigma^2)| >= sigma / 2) = 0.7237: most differences miss by at least half the noise scale, and
        // about half (0.4795) miss by the whole noise scale; both counts are checked against their binomial spread.
        AssertBinomial(errors.Count(e => Math.Abs(e) >= releaseScale / 2), 0.7237);
        AssertBinomial(errors.Count(e => Math.Abs(e) >= releaseScale), 0.4795);
        Assert.True(errors.Count(e => Math.Abs(e) >= releaseScale / 2) > Repetitions / 2);
        // The noise scale is far above the patient's value range: the pair says next to nothing about them.
        Assert.True(releaseScale > 500, $"noise scale {releaseScale}");
    }

    [Fact]
    public void NoiseShares_SummedOverThreeNodes_HaveTheCalibratedVariance()
    {
        var spec = new AggregationSpec("histogram", "age", [0, 40, 60, 120]);
        var node = NoiseCalibration.NodeVariances(spec, Layout, Rho, 3);
        var total = NoiseCalibration.TotalVariances(spec, Layout, Rho, 3);
        const int samples = 4000;
        var sums = new double[3][];
        for (var bin = 0; bin < 3; bin++)
        {
            sums[bin] = new double[samples];
        }
        for (var s = 0; s < samples; s++)
        {
            for (var n = 0; n < 3; n++)
            {
                var vector = new long[3];
                NoiseShare.Add(vector, node, new SeededSource((s * 3) + n));
                for (var bin = 0; bin < 3; bin++)
                {
                    sums[bin][s] += vector[bin];
                }
            }
        }
        var (low, high) = ChiSquareBounds(samples);
        for (var bin = 0; bin < 3; bin++)
        {
            // sigma^2 = 1 / (2 rho) shared by two honest nodes of three: 12.5 each, 37.5 in all three's sum.
            Assert.Equal(12.5, node[bin], 0.2);
            Assert.InRange(sums[bin].Sum(x => x * x) / total[bin], low, high);
            Assert.InRange(Math.Abs(sums[bin].Average()), 0, Z * Math.Sqrt(total[bin] / samples));
        }
    }

    private static double Release(List<List<LocalRecord>> nodes, AggregationSpec spec, FilterCondition[] filter, double[] variances, RandomSource random)
    {
        var layout = AggregationLayout.For(spec, Layout);
        var sum = new long[layout.Length];
        foreach (var records in nodes)
        {
            var vector = LocalVector.Compute(spec, 0, records.Where(r => RecordFilter.Matches(r, filter, Variables)), Variables);
            NoiseShare.Add(vector, variances, random);
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += vector[i];
            }
        }
        return NoisyRelease.Release(spec, layout, sum, NoiseCalibration.TotalVariances(spec, Layout, Rho, nodes.Count))[0].Value!.Value;
    }

    /// <summary>Forty patients per hospital, ages 20 to 99 except that only hospital 1 has a patient of 57.</summary>
    private static List<LocalRecord> Hospital(int index) =>
        [.. Enumerable.Range(0, 40).Select(i =>
        {
            long age = 20 + (((i * 7) + index) % 80);
            age = index == 1 && i == 0 ? 57 : age == 57 ? 58 : age;
            return new LocalRecord($"h{index}-{i}", new Dictionary<string, object?>(StringComparer.Ordinal) { ["age"] = age, ["crp"] = (long)(((i * 37) + index) % 480) });
        })];

    private static FilterCondition Condition(string variable, string op, long value) => new(variable, op, JsonSerializer.SerializeToElement(value));

    /// <summary>Bounds on a chi-square with <paramref name="df"/> degrees of freedom at 1e-6 / 2 each side (Wilson and Hilferty).</summary>
    private static (double Low, double High) ChiSquareBounds(int df)
    {
        double Quantile(double z) => df * Math.Pow(1 - (2.0 / (9 * df)) + (z * Math.Sqrt(2.0 / (9 * df))), 3);
        return (Quantile(-Z), Quantile(Z));
    }

    private static void AssertBinomial(int count, double p)
    {
        var mean = Repetitions * p;
        var spread = Z * Math.Sqrt(Repetitions * p * (1 - p));
        Assert.InRange(count, mean - spread, mean + spread);
    }
}
