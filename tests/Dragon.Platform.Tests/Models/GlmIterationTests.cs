using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;

namespace Dragon.Platform.Tests.Models;

/// <summary>
/// What a decrypted round leads to, on sums made here: round 0 refused by each disclosure rule before anything is
/// solved, the next round at the least-squares solution, convergence by the deviance rule, and the failures (separation,
/// singular X'WX, no convergence) that release nothing.
/// </summary>
public sealed class GlmIterationTests
{
    private static readonly Dictionary<string, LayoutVariable> Variables = new(StringComparer.Ordinal)
    {
        ["died"] = new("died", "boolean", null),
        ["age"] = new("age", "integer", null),
        ["sex"] = new("sex", "categorical", ["female", "male"]),
    };

    private static readonly AggregationSpec Spec = new("glm", Family: "binomial", Outcome: "died", Covariates: ["age", "sex"], MaxIterations: 5, Tolerance: 1e-8);
    private static readonly GlmDesign Design = GlmDesign.For(Spec, Variables);
    private static readonly GlmRules Rules = new(MinRecords: 20, Saturation: 0.33, MinCellCount: 5);

    [Theory]
    [InlineData(19, 10, "minRecords")]
    [InlineData(20, 10, null)]
    [InlineData(8, 4, "minRecords")]
    [InlineData(20, 4, "minCellCount")]
    public void RoundZero_IsCheckedAgainstTheDisclosureRules(long records, long smallestLevel, string? rule)
    {
        var outcome = GlmIteration.After(Spec, Design, GlmProgress.Start(Design), Sums(records, smallestLevel), Rules);

        Assert.Equal(rule, (outcome as GlmOutcome.Failed)?.Rule);
        Assert.Equal(rule is null, outcome is GlmOutcome.NextRound);
    }

    [Fact]
    public void RoundZero_WithTooManyParametersPerRecord_IsRefusedBySaturation()
    {
        var outcome = GlmIteration.After(Spec, Design, GlmProgress.Start(Design), Sums(30, 10), Rules with { MinRecords = 1, Saturation = 0.05 });

        Assert.Equal("saturation", Assert.IsType<GlmOutcome.Failed>(outcome).Rule);
    }

    [Fact]
    public void Round_SolvesTheWeightedLeastSquaresSystem_ForTheNextCoefficients()
    {
        var sums = Sums(40, 10);

        var next = Assert.IsType<GlmOutcome.NextRound>(GlmIteration.After(Spec, Design, GlmProgress.Start(Design), sums, Rules)).Progress;

        Assert.Equal(1, next.Round);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(sums.Score[i], Enumerable.Range(0, 3).Sum(j => sums.Information[i, j] * next.Coefficients[j]), 1e-9);
        }
        Assert.Equal(sums.NullScore / sums.NullWeight, next.NullCoefficient, 1e-12);
        Assert.Equal(sums.Deviance, next.Deviance);
    }

    [Fact]
    public void Round_WhoseDevianceStoppedChanging_ConvergesToTheTableAtItsCoefficients()
    {
        var sums = Sums(40, 10);
        var progress = new GlmProgress(3, [0.5, -0.01, 0.2], -0.1, sums.Deviance * (1 + 1e-10), sums.NullDeviance);

        var table = Assert.IsType<GlmOutcome.Converged>(GlmIteration.After(Spec, Design, progress, sums, Rules)).Table;

        Assert.Equal([0.5, -0.01, 0.2], table.Coefficients.Select(c => c.Estimate));
        Assert.Equal(4, table.Iterations);
        Assert.Equal("z", table.Statistic);
        Assert.Equal(37, table.ResidualDegreesOfFreedom);
    }

    [Theory]
    [InlineData(true, 4, "separate")]
    [InlineData(false, 4, "did not converge in 5 iterations")]
    public void LastRound_WithoutConvergence_FailsSayingWhy(bool atBoundary, int round, string reason)
    {
        var sums = Sums(40, 10) with { Boundary = atBoundary ? 3 : 0 };
        var progress = new GlmProgress(round, [0.5, -0.01, 0.2], -0.1, sums.Deviance * 2, sums.NullDeviance);

        Assert.Contains(reason, Assert.IsType<GlmOutcome.Failed>(GlmIteration.After(Spec, Design, progress, sums, Rules)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Round_WithASingularInformation_FailsAsCollinear()
    {
        var sums = Sums(40, 10);
        var information = (double[,])sums.Information.Clone();
        for (var i = 0; i < 3; i++)
        {
            information[2, i] = information[i, 2] = information[1, i];
        }
        information[2, 2] = information[1, 1];

        var failed = Assert.IsType<GlmOutcome.Failed>(GlmIteration.After(Spec, Design, GlmProgress.Start(Design), sums with { Information = information }, Rules));

        Assert.Contains("collinear", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Round_StepsFromTheCoefficientsItWasAt_ByTheScoringStep()
    {
        var sums = Sums(40, 10);
        var progress = new GlmProgress(2, [0.5, -0.01, 0.2], -0.1, 60, 60);

        var next = Assert.IsType<GlmOutcome.NextRound>(GlmIteration.After(Spec, Design, progress, sums, Rules)).Progress;

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(sums.Score[i], Enumerable.Range(0, 3).Sum(j => sums.Information[i, j] * (next.Coefficients[j] - progress.Coefficients[j])), 1e-9);
        }
        Assert.Equal(-0.1 + (sums.NullScore / sums.NullWeight), next.NullCoefficient, 1e-12);
    }

    [Fact]
    public void PrivateRound_GoesOnToMaxIterations_WhateverTheDeviance_ThenReleasesTheStepWithItsNoiseScale()
    {
        var spec = Spec with { Tolerance = null };
        var sums = Sums(40, 10);
        var noise = Enumerable.Repeat(1e8, GlmLayout.For(Design).Length).ToArray();
        // The deviance did not change: an exact fit would have converged here.
        var steady = new GlmProgress(3, [0.5, -0.01, 0.2], -0.1, sums.Deviance, sums.NullDeviance);

        var next = GlmIteration.After(spec, Design, steady, sums, Rules, noise);
        var last = GlmIteration.After(spec, Design, steady with { Round = 4 }, sums, Rules, noise);

        Assert.Equal(4, Assert.IsType<GlmOutcome.NextRound>(next).Progress.Round);
        var table = Assert.IsType<GlmOutcome.Converged>(last).Table;
        var stepped = sums.Next(steady)!.Value.Coefficients;
        Assert.Equal(stepped, table.Coefficients.Select(c => c.Estimate));
        Assert.All(table.Coefficients, c => Assert.True(c.NoiseScale > 0));
        Assert.Equal(5, table.Iterations);
    }

    [Theory]
    [InlineData(39, false)]
    [InlineData(41, true)]
    public void PrivateRound_IsSeparation_OnlyWhenItsNoisyBoundaryCountIsAboveFourNoiseDeviations(long boundary, bool separated)
    {
        var noise = Enumerable.Repeat(100.0, GlmLayout.For(Design).Length).ToArray();

        var outcome = GlmIteration.After(Spec with { Tolerance = null }, Design, GlmProgress.Start(Design), Sums(40, 10) with { Boundary = boundary }, Rules, noise);

        Assert.Equal(separated, outcome is GlmOutcome.Failed { Reason: var reason } && reason.Contains("separate", StringComparison.Ordinal));
        Assert.Equal(!separated, outcome is GlmOutcome.NextRound);
    }

    /// <summary>Sums of a plausible round: X'WX positive definite, level counts all at least <paramref name="smallestLevel"/>.</summary>
    private static GlmSums Sums(long records, long smallestLevel) => new(
        records,
        new double[,] { { 10, 600, 5 }, { 600, 40000, 290 }, { 5, 290, 5 } },
        [2, 130, 1.5],
        Deviance: 50, NullWeight: 10, NullScore: 1, NullDeviance: 55, LikelihoodConstant: 0, Boundary: 0,
        LevelCounts: [smallestLevel + 3, smallestLevel, smallestLevel + 1, smallestLevel + 2]);
}
