using System.Globalization;
using Dragon.Contracts.Jobs;

namespace Dragon.Contracts.Models;

/// <summary>
/// Where a model's fit stands between rounds: the coefficients the next round evaluates (all 0 in round 0) and the
/// intercept-only model's, and the deviances the previous round found (to test convergence).
/// </summary>
public sealed record GlmProgress(int Round, IReadOnlyList<double> Coefficients, double NullCoefficient, double? Deviance = null, double? NullDeviance = null)
{
    public static GlmProgress Start(GlmDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        return new GlmProgress(0, new double[design.Parameters], 0);
    }
}

/// <summary>The disclosure rules a model is fitted under (<c>models</c> in the disclosure policy).</summary>
/// <param name="MinRecords">The fewest records a model may use.</param>
/// <param name="Saturation">The most parameters per record (DataSHIELD's <c>nfilter.glm</c>): a model of p parameters needs at least p / Saturation records.</param>
/// <param name="MinCellCount">The fewest records every level of a categorical or boolean covariate, and of a binomial outcome, must have.</param>
public sealed record GlmRules(int MinRecords, double Saturation, int MinCellCount);

/// <summary>What a round of a model leads to.</summary>
public abstract record GlmOutcome
{
    private GlmOutcome()
    {
    }

    /// <summary>Another round, at these coefficients.</summary>
    public sealed record NextRound(GlmProgress Progress) : GlmOutcome;

    public sealed record Converged(ModelTable Table) : GlmOutcome;

    /// <param name="Rule">The disclosure rule that refused it, or <c>fit</c> for a fit that has no answer.</param>
    public sealed record Failed(string Reason, string Rule) : GlmOutcome;
}

/// <summary>
/// One step of iteratively reweighted least squares (McCullagh and Nelder, 2.5) between rounds, the same on the
/// platform (which moves the job on) and on every node (which recomputes the coefficients it is asked to evaluate
/// from the decrypted round before). Round k's sums are at beta_k: the next coefficients are
/// beta_k + (X'WX)^-1 U (<see cref="GlmSums.Next"/>); the fit has converged when the deviance changed by less than the tolerance relative to itself
/// (R's <c>glm.control</c> rule, |dev_k - dev_k-1| / (|dev_k| + 0.1) &lt; tolerance), for the model and for the
/// intercept-only one, and the table is then that of beta_k. Round 0's sums are checked against the disclosure rules
/// before anything else is computed from them.
/// </summary>
public static class GlmIteration
{
    public const int DefaultMaxIterations = 25;
    public const double DefaultTolerance = 1e-8;
    public const int MostIterations = 100;

    /// <param name="noise">For a differentially private model, the variance of the noise in each number of the round's sums
    /// (<see cref="Privacy.NoiseCalibration.TotalVariances"/>, in the vector's units); null for an exact one.</param>
    public static GlmOutcome After(AggregationSpec spec, GlmDesign design, GlmProgress progress, GlmSums sums, GlmRules rules, IReadOnlyList<double>? noise = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(sums);
        ArgumentNullException.ThrowIfNull(rules);
        if (progress.Round == 0 && Disclosure(design, sums, rules) is { } refused)
        {
            return refused;
        }
        if (noise is not null)
        {
            return AfterNoisy(spec, design, progress, sums, noise);
        }
        var tolerance = spec.Tolerance ?? DefaultTolerance;
        var converged = progress.Deviance is { } before && progress.NullDeviance is { } nullBefore
            && Changed(before, sums.Deviance) < tolerance && Changed(nullBefore, sums.NullDeviance) < tolerance;
        var boundary = sums.Boundary > 0;
        if (converged)
        {
            return boundary ? Separation(design) : Table(design, progress, sums);
        }
        if (progress.Round + 1 >= (spec.MaxIterations ?? DefaultMaxIterations))
        {
            return boundary ? Separation(design)
                : new GlmOutcome.Failed(string.Create(CultureInfo.InvariantCulture,
                    $"The model did not converge in {progress.Round + 1} iterations (tolerance {tolerance:g3}); nothing was released. A larger maxIterations, fewer covariates or rescaled ones may help."), "fit");
        }
        if (sums.Next(progress) is not { } next || next.Coefficients.Any(b => !double.IsFinite(b)) || !double.IsFinite(next.NullCoefficient))
        {
            return boundary ? Separation(design)
                : new GlmOutcome.Failed("X'WX is singular: covariates are collinear or a level has no records; nothing was released.", "fit");
        }
        return new GlmOutcome.NextRound(new GlmProgress(progress.Round + 1, next.Coefficients, next.NullCoefficient, sums.Deviance, sums.NullDeviance));
    }

    /// <summary>
    /// A differentially private fit runs exactly maxIterations rounds: a convergence test on noisy deviances would spend
    /// budget on a decision that depends on the data. Its table is the last round's scoring step
    /// (<see cref="NoisyTable"/>). A noisy boundary count above four standard deviations of its noise (a false alarm
    /// once in about 16,000 rounds) is taken as separation.
    /// </summary>
    private static GlmOutcome AfterNoisy(AggregationSpec spec, GlmDesign design, GlmProgress progress, GlmSums sums, IReadOnlyList<double> noise)
    {
        var layout = GlmLayout.For(design);
        if (design.Family.Name != GlmFamily.Gaussian && sums.Boundary > 4 * Math.Sqrt(noise[layout.Boundary]))
        {
            return Separation(design);
        }
        if (sums.Next(progress) is not { } next || next.Coefficients.Any(b => !double.IsFinite(b)) || !double.IsFinite(next.NullCoefficient))
        {
            return new GlmOutcome.Failed("X'WX with its noise is not positive definite: covariates are collinear, or the noise is large against the records (a larger budget per release or more records may help); nothing was released.", "fit");
        }
        return progress.Round + 1 < (spec.MaxIterations ?? DefaultPrivateIterations(design.Family))
            ? new GlmOutcome.NextRound(new GlmProgress(progress.Round + 1, next.Coefficients, next.NullCoefficient, sums.Deviance, sums.NullDeviance))
            : NoisyTable(design, progress, sums, next.Coefficients, layout, noise);
    }

    /// <summary>
    /// The rounds a differentially private fit runs unless the query says otherwise: a gaussian identity model is solved
    /// by round 0 and needs round 1 for its residual deviance; the others need a few steps of IRLS from 0.
    /// </summary>
    public static int DefaultPrivateIterations(GlmFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        return family.Name == GlmFamily.Gaussian && family.Link == "identity" ? 2 : 6;
    }

    /// <summary>
    /// The table of a differentially private fit: the coefficients beta_k + (H + N)^-1 (U + n), a step from the last
    /// round's noisy X'WX (H + N) and score (U + n), their standard errors from the noisy X'WX, and the deviances of the
    /// round (at the coefficients it evaluated, one step before). Each coefficient's noise scale is the delta-method
    /// standard deviation of the step from the noise: with d = H^-1 U the step, the noise moves it by about
    /// H^-1 (n - N d), whose covariance is H^-1 C H^-1 with C_jj = var(n_j) + sum_k var(N_jk) d_k^2 and
    /// C_jl = var(N_jl) d_j d_l. Near the fit the step is small, so the score's noise dominates. The statistic, p-value
    /// and interval use the sampling and noise variances together.
    /// </summary>
    private static GlmOutcome NoisyTable(GlmDesign design, GlmProgress progress, GlmSums sums, double[] estimates, GlmLayout layout, IReadOnlyList<double> noise)
    {
        var p = design.Parameters;
        if (Cholesky.Factor(sums.Information) is not { } factor || sums.Records <= p)
        {
            return new GlmOutcome.Failed("X'WX with its noise is not positive definite at the fit, or too few records remain; nothing was released.", "fit");
        }
        var scaleSquared = GlmLayout.Scale * GlmLayout.Scale;
        double InformationNoise(int j, int k) => noise[layout.InformationAt(Math.Min(j, k), Math.Max(j, k))] / scaleSquared;
        var step = estimates.Select((b, j) => b - progress.Coefficients[j]).ToArray();
        var c = new double[p, p];
        for (var j = 0; j < p; j++)
        {
            for (var l = 0; l < p; l++)
            {
                c[j, l] = j == l
                    ? (noise[layout.Score + j] / scaleSquared) + Enumerable.Range(0, p).Sum(k => InformationNoise(j, k) * step[k] * step[k])
                    : InformationNoise(j, l) * step[j] * step[l];
            }
        }
        var inverse = Cholesky.Inverse(factor);
        var noiseVariances = new double[p];
        for (var j = 0; j < p; j++)
        {
            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b < p; b++)
                {
                    noiseVariances[j] += inverse[j, a] * c[a, b] * inverse[b, j];
                }
            }
        }
        var family = design.Family;
        var residualDf = sums.Records - p;
        var dispersion = family.EstimatesDispersion ? Math.Max(sums.Deviance, 0) / residualDf : 1;
        var quantile = family.EstimatesDispersion ? Distributions.StudentQuantile(0.975, residualDf) : Distributions.NormalQuantile(0.975);
        var coefficients = design.Columns.Select((column, j) =>
        {
            var estimate = estimates[j];
            var error = Math.Sqrt(dispersion * Math.Max(inverse[j, j], 0));
            var noiseScale = Math.Sqrt(Math.Max(noiseVariances[j], 0));
            var uncertainty = Math.Sqrt((error * error) + (noiseScale * noiseScale));
            var statistic = estimate / uncertainty;
            var pValue = family.EstimatesDispersion ? Distributions.StudentTwoSided(statistic, residualDf) : Distributions.NormalTwoSided(statistic);
            return new ModelCoefficient(column.Name, estimate, error, statistic, pValue, new ResultInterval(estimate - (quantile * uncertainty), estimate + (quantile * uncertainty)), noiseScale);
        }).ToList();
        return new GlmOutcome.Converged(new ModelTable(family.Name, family.Link, family.EstimatesDispersion ? "t" : "z", coefficients, dispersion,
            sums.Deviance, residualDf, sums.NullDeviance, sums.Records - 1, family.Aic(Math.Max(sums.Deviance, double.Epsilon), sums.LikelihoodConstant, sums.Records, p),
            progress.Round + 1, sums.Records));
    }

    private static double Changed(double before, double now) => Math.Abs(now - before) / (Math.Abs(now) + 0.1);

    private static GlmOutcome.Failed Separation(GlmDesign design) => new(design.Family.Name == GlmFamily.Binomial
        ? "Fitted probabilities numerically 0 or 1 occurred: the covariates separate the outcome (perfectly or nearly), so the maximum-likelihood estimates do not exist; nothing was released."
        : "Fitted rates numerically 0 occurred: the fit diverges, so the maximum-likelihood estimates do not exist; nothing was released.", "fit");

    private static GlmOutcome.Failed? Disclosure(GlmDesign design, GlmSums sums, GlmRules rules)
    {
        if (sums.Records < rules.MinRecords)
        {
            return new($"The model would use fewer than {rules.MinRecords} records; nothing was released.", "minRecords");
        }
        if (design.Parameters > rules.Saturation * sums.Records)
        {
            return new(string.Create(CultureInfo.InvariantCulture,
                $"The model has {design.Parameters} parameters, too many for its records (at most {rules.Saturation:0.##} per record); nothing was released."), "saturation");
        }
        var small = design.Levels.Where((_, i) => sums.LevelCounts[i] < rules.MinCellCount).ToList();
        return small.Count == 0 ? null
            : new($"Level {string.Join(", ", small.Select(l => $"{l.Variable}={l.Category}"))} has fewer than {rules.MinCellCount} records; nothing was released.", "minCellCount");
    }

    /// <summary>The table of the fit at the round's coefficients, with the round's X'WX as the information.</summary>
    private static GlmOutcome Table(GlmDesign design, GlmProgress progress, GlmSums sums)
    {
        if (Cholesky.Factor(sums.Information) is not { } factor)
        {
            return new GlmOutcome.Failed("X'WX is singular at the fit: covariates are collinear; nothing was released.", "fit");
        }
        var family = design.Family;
        var residualDf = sums.Records - design.Parameters;
        var dispersion = family.EstimatesDispersion ? sums.Deviance / residualDf : 1;
        var variances = Cholesky.InverseDiagonal(factor);
        var quantile = family.EstimatesDispersion ? Distributions.StudentQuantile(0.975, residualDf) : Distributions.NormalQuantile(0.975);
        var coefficients = design.Columns.Select((column, j) =>
        {
            var estimate = progress.Coefficients[j];
            var error = Math.Sqrt(dispersion * variances[j]);
            var statistic = estimate / error;
            var p = family.EstimatesDispersion ? Distributions.StudentTwoSided(statistic, residualDf) : Distributions.NormalTwoSided(statistic);
            return new ModelCoefficient(column.Name, estimate, error, statistic, p, new ResultInterval(estimate - (quantile * error), estimate + (quantile * error)));
        }).ToList();
        return new GlmOutcome.Converged(new ModelTable(family.Name, family.Link, family.EstimatesDispersion ? "t" : "z", coefficients, dispersion,
            sums.Deviance, residualDf, sums.NullDeviance, sums.Records - 1, family.Aic(sums.Deviance, sums.LikelihoodConstant, sums.Records, design.Parameters),
            progress.Round + 1, sums.Records));
    }
}
