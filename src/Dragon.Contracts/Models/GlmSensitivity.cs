using Dragon.Contracts.Jobs;

namespace Dragon.Contracts.Models;

/// <summary>
/// How much one person can move each number of a model's round (<see cref="GlmLayout"/>) by joining or leaving the
/// records: the L2 sensitivities a differentially private model's noise is calibrated to, in the vector's units
/// (fixed point for the scaled sums). They follow from the declared bounds, because a node clips every numeric
/// covariate, offset and outcome to them in a private fit, and from the round's coefficients, which bound the linear
/// predictor: with B_j the largest magnitude of column j (1 for the intercept and for a boolean or dummy), O that of the
/// offset and L = sum_j |beta_j| B_j, every record has |eta| &lt;= L + O. For the canonical links the score of a record
/// is x (y - mu): binomial-logit has w &lt;= 1/4 and |y - mu| &lt;= 1; poisson-log w = mu &lt;= e^(L + O) and
/// |y - mu| &lt;= max(Y, mu); gaussian-identity w = 1 and |y - mu| &lt;= Y + L + O, with Y the outcome's largest
/// magnitude. Other links have weights with no such simple bound, so they are fitted exactly only (<see cref="Unsupported"/>).
/// </summary>
public static class GlmSensitivity
{
    /// <summary>Why a model cannot be fitted with differential privacy over these variables; null when it can.</summary>
    public static string? Unsupported(GlmDesign design, IReadOnlyDictionary<string, LayoutVariable> variables)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(variables);
        if (design.Family.Link != GlmFamily.LinksOf(design.Family.Name)[0])
        {
            return $"A differentially private {design.Family.Name} model takes its canonical link ({GlmFamily.LinksOf(design.Family.Name)[0]}) only: the noise is calibrated to bounds on its weights.";
        }
        var bounded = design.Columns.Where(c => c.Variable is not null && c.Category is null).Select(c => c.Variable!)
            .Concat(design.Offset is null ? [] : [design.Offset])
            .Concat(design.Family.Name == GlmFamily.Binomial ? [] : [design.Outcome]);
        var unbounded = bounded.Where(name => !variables.TryGetValue(name, out var v) || !v.IsBounded).ToList();
        return unbounded.Count == 0 ? null
            : $"{string.Join(", ", unbounded.Select(n => $"'{n}'"))} {(unbounded.Count == 1 ? "has" : "have")} no declared bounds (min and max) in every cohort; a differentially private model clips to them and calibrates its noise to them.";
    }

    /// <summary>
    /// The round's numbers in groups, each with its L2 sensitivity: every real sum alone, the records alone, the boundary
    /// count alone, and the level counts of one variable together (one person is in one level of each); a fixed-point
    /// sum's sensitivity has 1 more for the node's rounding. Numbers that
    /// no record can move (the likelihood constant of a binomial or gaussian model, a gaussian's boundary count) are in no group.
    /// </summary>
    /// <exception cref="ArgumentException">The model is <see cref="Unsupported"/>.</exception>
    public static List<(int[] Slots, double Sensitivity)> Groups(GlmDesign design, IReadOnlyDictionary<string, LayoutVariable> variables, GlmProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (Unsupported(design, variables) is { } reason)
        {
            throw new ArgumentException(reason, nameof(variables));
        }
        var layout = GlmLayout.For(design);
        var p = design.Parameters;
        var columnBounds = design.Columns.Select(c => c.Variable is null || c.Category is not null ? 1 : variables[c.Variable].LargestMagnitude()).ToArray();
        var offset = design.Offset is null ? 0 : variables[design.Offset].LargestMagnitude();
        var outcome = design.Family.Name == GlmFamily.Binomial ? 1 : variables[design.Outcome].LargestMagnitude();
        var linear = columnBounds.Select((b, j) => Math.Abs(progress.Coefficients[j]) * b).Sum();
        var (weight, residual, deviance) = Record(design.Family, linear + offset, outcome);
        var (nullWeight, nullResidual, nullDeviance) = Record(design.Family, Math.Abs(progress.NullCoefficient) + offset, outcome);
        var reals = new double[layout.Length];
        for (var row = 0; row < p; row++)
        {
            for (var column = row; column < p; column++)
            {
                reals[layout.InformationAt(row, column)] = weight * columnBounds[row] * columnBounds[column];
            }
            reals[layout.Score + row] = residual * columnBounds[row];
        }
        (reals[layout.Deviance], reals[layout.NullWeight], reals[layout.NullScore], reals[layout.NullDeviance]) = (deviance, nullWeight, nullResidual, nullDeviance);
        if (design.Family.Name == GlmFamily.Poisson)
        {
            // log y! - y log y + y grows like (1/2) log(2 pi y) + 1/(12 y) (Stirling); at y = 0 it is 0.
            reals[layout.LikelihoodConstant] = outcome < 1 ? 1 : (0.5 * Math.Log(2 * Math.PI * outcome)) + (1.0 / 12) + 1e-9;
        }
        var groups = new List<(int[] Slots, double Sensitivity)> { ([GlmLayout.Records], 1) };
        groups.AddRange(Enumerable.Range(GlmLayout.Information, layout.Boundary - GlmLayout.Information)
            .Where(slot => reals[slot] > 0).Select(slot => (new[] { slot }, (reals[slot] * GlmLayout.Scale) + 1)));
        if (design.Family.Name != GlmFamily.Gaussian)
        {
            groups.Add(([layout.Boundary], 1));
        }
        groups.AddRange(design.Levels.Select((level, i) => (level.Variable, Slot: layout.Levels + i)).GroupBy(l => l.Variable)
            .Select(g => (g.Select(l => l.Slot).ToArray(), 1.0)));
        return groups;
    }

    /// <summary>Bounds on one record's weight, residual |y - mu| and unit deviance, for |eta| &lt;= <paramref name="eta"/>.</summary>
    private static (double Weight, double Residual, double Deviance) Record(GlmFamily family, double eta, double outcome)
    {
        switch (family.Name)
        {
            case GlmFamily.Binomial:
                // The fitted probability is kept within the logit's bounds, so -log(1 - mu) <= log(1 + e^eta) at most there.
                return (0.25, 1, -2 * Math.Log(1 - family.Mean(eta)));
            case GlmFamily.Poisson:
            {
                var (low, high) = (family.Mean(-eta), family.Mean(eta));
                // The unit deviance is convex in y and in mu, so it is largest at a corner of [0, Y] x [low, high].
                var deviance = new[] { family.UnitDeviance(0, high), family.UnitDeviance(outcome, low), family.UnitDeviance(outcome, high) }.Max();
                return (high, Math.Max(outcome, high), deviance);
            }
            default:
                return (1, outcome + eta, (outcome + eta) * (outcome + eta));
        }
    }
}
