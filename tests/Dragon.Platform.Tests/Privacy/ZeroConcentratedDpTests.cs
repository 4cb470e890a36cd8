using Dragon.Contracts.Privacy;

namespace Dragon.Platform.Tests.Privacy;

/// <summary>The zCDP formulas against their papers' statements, computed here independently.</summary>
public sealed class ZeroConcentratedDpTests
{
    [Theory]
    [InlineData(1.0, 0.5, 1.0)]
    [InlineData(1.0, 50.0, 0.01)]
    [InlineData(300.0, 45_000.0, 1.0)]
    public void GaussianRho_IsSensitivitySquaredOverTwiceTheVariance(double sensitivity, double variance, double rho)
    {
        Assert.Equal(rho, ZeroConcentratedDp.GaussianRho(sensitivity, variance), 12);
        Assert.Equal(variance, ZeroConcentratedDp.GaussianVariance(sensitivity, rho), 9);
    }

    [Theory]
    [InlineData(0.5, 1e-5)]
    [InlineData(0.01, 1e-6)]
    [InlineData(2.0, 1e-9)]
    public void Epsilon_IsRhoPlusTwiceTheRootOfRhoLogOneOverDelta_AndRhoForEpsilonInvertsIt(double rho, double delta)
    {
        var epsilon = ZeroConcentratedDp.Epsilon(rho, delta);

        Assert.Equal(rho + (2 * Math.Sqrt(rho * Math.Log(1 / delta))), epsilon, 12);
        Assert.Equal(rho, ZeroConcentratedDp.RhoForEpsilon(epsilon, delta), 9);
    }

    [Fact]
    public void Epsilon_OfHalfAtOneInAHundredThousand_IsTheKnownValue() =>
        Assert.Equal(5.29853, ZeroConcentratedDp.Epsilon(0.5, 1e-5), 5);

    [Fact]
    public void DistributedDiscreteGaussian_WithNodeVariancesOfSeveralUnits_IsTheGaussianRhoOfTheSum()
    {
        var rho = ZeroConcentratedDp.DistributedDiscreteGaussianRho(1, 1, 1, 3, 50);

        Assert.Equal(ZeroConcentratedDp.GaussianRho(1, 150), rho, 15);
    }

    [Fact]
    public void DistributedDiscreteGaussian_WithTinyNodeVariances_PaysForTheSumNotBeingADiscreteGaussian()
    {
        var rho = ZeroConcentratedDp.DistributedDiscreteGaussianRho(1, 1, 10, 10, 0.05);
        var tau = 10 * Enumerable.Range(1, 9).Sum(k => Math.Exp(-2 * Math.PI * Math.PI * 0.05 * k / (k + 1)));

        Assert.True(rho > ZeroConcentratedDp.GaussianRho(1, 0.5));
        Assert.Equal(Math.Min((1 / (2 * 0.5)) + (tau * 10), Math.Pow((1 / Math.Sqrt(0.5)) + (tau * Math.Sqrt(10)), 2) / 2), rho, 12);
    }

    [Fact]
    public void Composition_AddsRho_SoTwoHalfBudgetsSpendOneBudget()
    {
        var half = ZeroConcentratedDp.GaussianRho(1, 1);

        Assert.Equal(ZeroConcentratedDp.GaussianRho(Math.Sqrt(2), 1), half + half, 12);
    }
}
