using Dragon.Contracts.Jobs;

namespace Dragon.Contracts.Models;

/// <param name="Statistic">The estimate over its standard error: z, or t for a model whose dispersion is estimated.</param>
/// <param name="PValue">Two-sided, from the normal distribution (z) or Student's t on the residual degrees of freedom (t).</param>
/// <param name="Interval">The 95% Wald interval: estimate plus and minus the 97.5% quantile of the same distribution times the standard error
/// (of a differentially private fit, times the root of the squared standard error and noise scale together).</param>
/// <param name="NoiseScale">For a differentially private fit, the standard deviation of the estimate that its noise adds; the statistic divides by sqrt(StandardError^2 + NoiseScale^2).</param>
public sealed record ModelCoefficient(string Name, double Estimate, double StandardError, double Statistic, double PValue, ResultInterval Interval, double? NoiseScale = null);

/// <summary>A fitted generalized linear model as the usual table shows it (R's <c>summary.glm</c>).</summary>
/// <param name="Statistic"><c>z</c> (binomial, poisson: dispersion 1) or <c>t</c> (gaussian: dispersion estimated).</param>
/// <param name="Dispersion">1, or for the gaussian the residual deviance over its degrees of freedom.</param>
/// <param name="NullDeviance">The deviance of the model with the intercept (and offset) alone.</param>
/// <param name="Iterations">The rounds of iteratively reweighted least squares the fit took.</param>
/// <param name="Records">The records the fit used: consenting, selected by the filter, with every variable of the model present.</param>
public sealed record ModelTable(
    string Family, string Link, string Statistic, IReadOnlyList<ModelCoefficient> Coefficients, double Dispersion,
    double Deviance, long ResidualDegreesOfFreedom, double NullDeviance, long NullDegreesOfFreedom, double Aic, int Iterations, long Records);
