using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic.Tests.Ring;

public class SamplerTests
{
    [Fact]
    public void CenteredBinomial_HasTheStatedSupportMeanAndVariance()
    {
        var samples = new long[1 << 16];
        Sampler.CenteredBinomial(samples);
        Assert.All(samples, v => Assert.InRange(v, -Sampler.ErrorBound, Sampler.ErrorBound));
        double mean = samples.Average();
        double variance = samples.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.1, 0.1);
        Assert.InRange(variance, 10.0, 11.0);
        Assert.True(Math.Sqrt(variance) >= 3.15);
    }

    [Fact]
    public void Ternary_IsUniformOnMinusOneZeroOne()
    {
        var samples = new long[30_000];
        Sampler.Ternary(samples);
        Assert.All(samples, v => Assert.InRange(v, -1, 1));
        foreach (long value in new long[] { -1, 0, 1 })
        {
            Assert.InRange(samples.Count(v => v == value), 9_400, 10_600);
        }
    }
}
