using System.Numerics;
using Dragon.Node.Privacy;

namespace Dragon.Node.Tests.Privacy;

/// <summary>
/// The exact discrete Gaussian sampler against its textbook distribution, P(x) = exp(-x^2 / 2 sigma^2) / Z. Each test
/// is a statistical test whose threshold is set for a false-alarm rate of 1e-6 per assertion for a correct sampler;
/// the seeded tests run over a fixed range of seeds (so they are repeatable), the last one on the CSPRNG.
/// </summary>
public sealed class DiscreteGaussianTests
{
    /// <summary>The standard normal quantile at 1 - 1e-6 / 2 (two-sided), and at 1 - 1e-6 (one-sided).</summary>
    private const double TwoSidedZ = 4.891638;
    private const double OneSidedZ = 4.753424;

    [Theory]
    [InlineData(1, 2, 1)]
    [InlineData(9, 4, 2)]
    [InlineData(4, 1, 3)]
    [InlineData(100, 1, 4)]
    [InlineData(1_000_000, 3, 5)]
    public void Samples_FitTheDiscreteGaussianPmf_ChiSquare(long numerator, long denominator, int seed)
    {
        const int samples = 20_000;
        var sigma2 = (double)numerator / denominator;
        var sampler = new DiscreteGaussian(numerator, denominator, new SeededSource(seed));
        var counts = new Dictionary<long, int>();
        for (var i = 0; i < samples; i++)
        {
            var x = sampler.Next();
            counts[x] = counts.GetValueOrDefault(x) + 1;
        }

        // Consecutive integers of [-bound, bound] grouped into bins of an expected count of at least 20 (the last
        // leftovers joined to the bin before); a sample beyond the bound (probability below e^-70) counts in the end bin.
        var bound = (long)Math.Ceiling(12 * Math.Sqrt(sigma2)) + 5;
        var z = Enumerable.Range((int)-bound, (int)((2 * bound) + 1)).Sum(x => Math.Exp(-(double)x * x / (2 * sigma2)));
        var bins = new List<(double Expected, int Observed)>();
        var (expected, observed) = (0.0, 0);
        for (var x = -bound; x <= bound; x++)
        {
            expected += samples * Math.Exp(-(double)x * x / (2 * sigma2)) / z;
            observed += x == -bound ? counts.Where(c => c.Key <= x).Sum(c => c.Value)
                : x == bound ? counts.Where(c => c.Key >= x).Sum(c => c.Value)
                : counts.GetValueOrDefault(x);
            if (expected >= 20)
            {
                bins.Add((expected, observed));
                (expected, observed) = (0.0, 0);
            }
        }
        bins[^1] = (bins[^1].Expected + expected, bins[^1].Observed + observed);
        var statistic = bins.Sum(b => Square(b.Observed - b.Expected) / b.Expected);
        var degrees = bins.Count - 1;

        Assert.True(bins.Count >= 3, $"too few bins ({bins.Count}) for sigma^2 = {sigma2}");
        Assert.True(statistic < ChiSquareQuantile(degrees), $"chi-square {statistic:F1} with {degrees} degrees of freedom for sigma^2 = {sigma2}");
    }

    [Theory]
    [InlineData(100, 11)]
    [InlineData(10_000, 12)]
    [InlineData(250_000_000, 13)]
    public void MeanAndVariance_AreZeroAndSigmaSquared(long sigma2, int seed)
    {
        const int samples = 40_000;
        var sampler = new DiscreteGaussian(sigma2, 1, new SeededSource(seed));
        var values = new long[samples];

        sampler.Fill(values);

        AssertMoments(values, sigma2);
    }

    /// <summary>What each of three nodes adds (sigma^2 / 3), summed as the platform's decryption sums it: variance sigma^2.</summary>
    [Fact]
    public void SumOfThreeNodesShares_HasTheTargetVariance()
    {
        const int samples = 30_000;
        const long sigma2 = 90_000;
        var nodes = Enumerable.Range(0, 3).Select(i => new DiscreteGaussian(sigma2, 3, new SeededSource(21 + i))).ToList();

        var sums = Enumerable.Range(0, samples).Select(_ => nodes.Sum(n => n.Next())).ToArray();

        AssertMoments(sums, sigma2);
    }

    [Fact]
    public void SecureSource_SamplesWithTheTargetVariance()
    {
        var sampler = new DiscreteGaussian(new BigInteger(2_500), BigInteger.One, RandomSource.Secure);
        var values = new long[20_000];

        sampler.Fill(values);

        AssertMoments(values, 2_500);
    }

    [Fact]
    public void Scale_IsFloorOfSigmaPlusOne()
    {
        Assert.Equal(2, new DiscreteGaussian(1, 1, RandomSource.Secure).Scale);
        Assert.Equal(4, new DiscreteGaussian(10, 1, RandomSource.Secure).Scale);
        Assert.Equal(1, new DiscreteGaussian(1, 4, RandomSource.Secure).Scale);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiscreteGaussian(0, 1, RandomSource.Secure));
    }

    /// <summary>
    /// The sample mean within z * sigma / sqrt(n) of 0, and the sample variance within z * sqrt(2 / n) sigma^2 of
    /// sigma^2 (both normal approximations, ample at these sizes); z for 1e-6 two-sided.
    /// </summary>
    private static void AssertMoments(long[] values, double sigma2)
    {
        var n = values.Length;
        var mean = values.Average(v => (double)v);
        var variance = values.Sum(v => Square(v - mean)) / (n - 1);
        Assert.InRange(mean, -TwoSidedZ * Math.Sqrt(sigma2 / n), TwoSidedZ * Math.Sqrt(sigma2 / n));
        Assert.InRange(variance / sigma2, 1 - (TwoSidedZ * Math.Sqrt(2.0 / n)), 1 + (TwoSidedZ * Math.Sqrt(2.0 / n)));
    }

    /// <summary>The chi-square quantile at 1 - 1e-6 by the Wilson-Hilferty approximation (accurate to a fraction of a percent from 3 degrees of freedom on).</summary>
    private static double ChiSquareQuantile(int degrees)
    {
        var k = (double)degrees;
        return k * Math.Pow(1 - (2 / (9 * k)) + (OneSidedZ * Math.Sqrt(2 / (9 * k))), 3);
    }

    private static double Square(double x) => x * x;
}
