using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Platform.Jobs;

namespace Dragon.Platform.Tests.Privacy;

/// <summary>
/// The noise of a differentially private job against the textbook Gaussian mechanism (sigma^2 = Delta^2 / (2 rho),
/// rho shared between a vector's groups) and the distributed discrete Gaussian bound for all nodes but one; and the
/// release's noise scales against a Monte Carlo run of the same noisy ratio.
/// </summary>
public sealed class NoiseCalibrationTests
{
    private static readonly Dictionary<string, LayoutVariable> Variables = new(StringComparer.Ordinal)
    {
        ["age"] = new("age", "integer", null, 0, 120),
        ["crp"] = new("crp", "decimal", null, -10, 500),
        ["free"] = new("free", "integer", null),
        ["sex"] = new("sex", "categorical", ["female", "male"]),
    };

    [Theory]
    [InlineData(3, 0.02, 1.01)]
    [InlineData(5, 0.1, 1.01)]
    [InlineData(10, 0.5, 4)]
    public void Count_NodeVariance_IsTheGaussianVarianceSharedByAllButOneNode(int nodes, double rho, double atMost)
    {
        var variance = Assert.Single(NoiseCalibration.NodeVariances(new AggregationSpec("count"), Variables, rho, nodes));

        // Below a unit of variance per node the sum of discrete Gaussians pays the bound's tau term: more noise, never less.
        var textbook = 1 / (2 * rho) / (nodes - 1);
        Assert.InRange(variance, textbook, atMost * textbook);
        Assert.True(ZeroConcentratedDp.DistributedDiscreteGaussianRho(1, 1, 1, nodes - 1, variance) <= rho);
        Assert.True(ZeroConcentratedDp.DistributedDiscreteGaussianRho(1, 1, 1, nodes - 1, variance / 1.02) > rho || atMost < 2);
    }

    [Fact]
    public void Variance_OfADecimal_SplitsRhoInFour_WithSensitivitiesOfTheLargerBoundInFixedPoint()
    {
        const double rho = 0.03;
        var variances = NoiseCalibration.NodeVariances(new AggregationSpec("variance", "crp"), Variables, rho, 3);

        var bound = 500 * 100.0;
        double[] expected = [bound * bound / (2 * rho / 4) / 2, Math.Pow(bound, 4) / (2 * rho / 4) / 2, 1 / (2 * rho / 4) / 2, 1 / (2 * rho / 4) / 2];
        Assert.Equal(expected.Length, variances.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], variances[i], 1e-2 * expected[i]);
        }
        Assert.Equal([.. variances.Select(v => v * 3)], NoiseCalibration.TotalVariances(new AggregationSpec("variance", "crp"), Variables, rho, 3));
    }

    [Fact]
    public void Crosstab_IsOneGroup_EveryCellWithTheWholeRho()
    {
        var variances = NoiseCalibration.NodeVariances(new AggregationSpec("crosstab", GroupBy: ["sex"]), Variables, 0.05, 4);

        Assert.Equal(2, variances.Length);
        Assert.All(variances, v => Assert.Equal(10.0 / 3, v, 0.05));
    }

    [Fact]
    public void Sum_OfAVariableWithoutBounds_CannotBeCalibrated()
    {
        Assert.Throws<ArgumentException>(() => NoiseCalibration.NodeVariances(new AggregationSpec("sum", "free"), Variables, 0.02, 3));
    }

    [Theory]
    [InlineData(200, 9000.0, 25.0, 100.0)]
    [InlineData(40, 1200.0, 900.0, 4.0)]
    public void Mean_NoiseScale_MatchesMonteCarloOfTheNoisyRatio(long n, double sum, double sumVariance, double countVariance)
    {
        var layout = AggregationLayout.For(new AggregationSpec("mean", "age"), Variables);
        var cell = Assert.Single(NoisyRelease.Release(new AggregationSpec("mean", "age"), layout, [(long)sum, n, 0], [sumVariance, countVariance, 1]));
        var random = new Random(7);
        var draws = Enumerable.Range(0, 40_000).Select(_ => (sum + (Normal(random) * Math.Sqrt(sumVariance))) / (n + (Normal(random) * Math.Sqrt(countVariance)))).ToList();
        var mean = draws.Average();
        var spread = Math.Sqrt(draws.Sum(d => (d - mean) * (d - mean)) / (draws.Count - 1));

        Assert.Equal(sum / n, cell.Value!.Value, 1e-9);
        // The delta method is first order: within 5% of the Monte Carlo spread at these counts (whose own error is 0.4%).
        Assert.Equal(spread, cell.NoiseScale!.Value, 0.05 * spread);
        Assert.Equal(cell.Value.Value - (NoisyRelease.Z95 * cell.NoiseScale.Value), cell.Interval!.Low, 1e-9);
    }

    [Fact]
    public void Variance_NoiseScale_MatchesMonteCarloOfTheNoisyEstimate()
    {
        var layout = AggregationLayout.For(new AggregationSpec("variance", "age"), Variables);
        const double n = 500, sum = 30_000, squares = 1_912_500;
        double[] noise = [900, 4e6, 16, 1];
        var cell = Assert.Single(NoisyRelease.Release(new AggregationSpec("variance", "age"), layout, [(long)sum, (long)squares, (long)n, 0], noise));
        var random = new Random(11);
        var draws = Enumerable.Range(0, 40_000).Select(_ =>
        {
            var (s, q, c) = (sum + (Normal(random) * 30), squares + (Normal(random) * 2000), n + (Normal(random) * 4));
            return (q - (s * s / c)) / (c - 1);
        }).ToList();
        var mean = draws.Average();
        var spread = Math.Sqrt(draws.Sum(d => (d - mean) * (d - mean)) / (draws.Count - 1));

        Assert.Equal((squares - (sum * sum / n)) / (n - 1), cell.Value!.Value, 1e-9);
        Assert.Equal(spread, cell.NoiseScale!.Value, 0.05 * spread);
    }

    [Fact]
    public void Release_OfANoisyCountBelowOne_LeavesTheMeanOut()
    {
        var layout = AggregationLayout.For(new AggregationSpec("mean", "age"), Variables);

        var cell = Assert.Single(NoisyRelease.Release(new AggregationSpec("mean", "age"), layout, [120, 0, 0], [25, 25, 25]));

        Assert.True(cell.Suppressed);
        Assert.Null(cell.Value);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
