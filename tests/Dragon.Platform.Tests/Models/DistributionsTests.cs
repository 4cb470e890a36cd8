using Dragon.Contracts.Models;

namespace Dragon.Platform.Tests.Models;

/// <summary>The distribution functions of model tables against tabulated values (R's pnorm, qnorm, qt) and closed forms.</summary>
public sealed class DistributionsTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(1.96, 0.9750021048517795)]
    [InlineData(2.0, 0.9772498680518208)]
    [InlineData(3.0, 0.9986501019683699)]
    [InlineData(-1.0, 0.15865525393145707)]
    [InlineData(-3.0, 0.0013498980316301035)]
    public void NormalCdf_MatchesTheTable(double x, double expected) =>
        Assert.Equal(expected, Distributions.NormalCdf(x), 1e-14);

    [Theory]
    [InlineData(5.0, 2.866515718791939e-07)]
    [InlineData(8.0, 6.22096057427178e-16)]
    [InlineData(10.0, 7.619853024160527e-24)]
    public void NormalUpperTail_KeepsItsRelativePrecisionFarOut(double x, double expected) =>
        Assert.Equal(expected, Distributions.NormalUpperTail(x), expected * 1e-10);

    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.025, -1.959963984540054)]
    [InlineData(0.999, 3.090232306167813)]
    public void NormalQuantile_InvertsTheCdf(double p, double expected) =>
        Assert.Equal(expected, Distributions.NormalQuantile(p), 1e-12);

    /// <summary>With 1 degree of freedom t is Cauchy, P(|T| &gt; t) = 1 - 2 atan(t) / pi; with 2, P(|T| &gt; t) = 1 - t / sqrt(2 + t^2).</summary>
    [Theory]
    [InlineData(0.3)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(12.0)]
    [InlineData(150.0)]
    public void StudentTwoSided_MatchesTheClosedFormsOfOneAndTwoDegrees(double t)
    {
        Assert.Equal(1 - (2 * Math.Atan(t) / Math.PI), Distributions.StudentTwoSided(t, 1), 1e-13);
        Assert.Equal(1 - (t / Math.Sqrt(2 + (t * t))), Distributions.StudentTwoSided(t, 2), 1e-13);
        Assert.Equal(Distributions.StudentTwoSided(t, 7), Distributions.StudentTwoSided(-t, 7));
    }

    [Fact]
    public void StudentTwoSided_WithManyDegrees_TendsToTheNormal() =>
        Assert.Equal(Distributions.NormalTwoSided(2.1), Distributions.StudentTwoSided(2.1, 1e7), 1e-7);

    [Theory]
    [InlineData(1, 12.706204736174707)]
    [InlineData(10, 2.2281388519649385)]
    [InlineData(30, 2.0422724563012373)]
    public void StudentQuantile_MatchesTheTable(double degreesOfFreedom, double expected) =>
        Assert.Equal(expected, Distributions.StudentQuantile(0.975, degreesOfFreedom), 1e-10);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(170)]
    public void LogGamma_OfWholeNumbers_IsTheLogFactorial(int n) =>
        Assert.Equal(Enumerable.Range(1, n - 1).Sum(i => Math.Log(i)), Distributions.LogGamma(n), 1e-10 * Math.Max(1, Enumerable.Range(1, n - 1).Sum(i => Math.Log(i))));

    [Fact]
    public void LogGamma_OfOneHalf_IsTheLogOfRootPi() => Assert.Equal(0.5 * Math.Log(Math.PI), Distributions.LogGamma(0.5), 1e-14);
}
