using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;
using Dragon.Contracts.Privacy;
using Dragon.Node.Cli;
using Dragon.Node.Data;

namespace Dragon.Node.Jobs;

/// <summary>
/// This node's numbers for one round of a model (<see cref="GlmLayout"/>), over the records that have the outcome, every
/// covariate and the offset (complete cases): at each record, eta = x'beta + offset, mu = g^-1(eta), the weight
/// w = (d mu / d eta)^2 / V(mu) and the score u = (d mu / d eta) (y - mu) / V(mu); summed, w x x', u x and the unit
/// deviances, and the same for the intercept-only model at its coefficient. The sums are kept in
/// doubles and rounded to fixed point once, at the end. In a differentially private job every numeric covariate, the
/// offset and a numeric outcome are first clipped to their declared bounds, which the noise is calibrated to
/// (<see cref="GlmSensitivity"/>).
/// </summary>
public static class GlmLocalVector
{
    public static long[] Compute(JobTaskSpec job, IEnumerable<LocalRecord> records)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(records);
        var design = DesignOf(job);
        var progress = job.Model ?? throw new NodeException($"Job {job.JobId} is a model without the round's coefficients.");
        var layout = GlmLayout.For(design);
        var family = design.Family;
        var p = design.Parameters;
        var reals = new double[layout.Length];
        var counts = new long[layout.Length];
        var x = new double[p];
        var clipTo = job.Privacy?.Mode == ReleaseModes.Dp ? JobManifests.VariablesOf(job) : null;
        foreach (var record in records)
        {
            if (!Row(design, record, x, out var y, out var offset, clipTo))
            {
                continue;
            }
            if (!family.TakesOutcome(y))
            {
                throw new JobDataException($"Outcome {design.Outcome} of a record is {y}, which a {family.Name} model does not take.");
            }
            counts[GlmLayout.Records]++;
            var eta = offset;
            for (var j = 0; j < p; j++)
            {
                eta += x[j] * progress.Coefficients[j];
            }
            var (w, u, deviance, atBoundary) = Working(family, y, eta);
            for (var row = 0; row < p; row++)
            {
                for (var column = row; column < p; column++)
                {
                    reals[layout.InformationAt(row, column)] += w * x[row] * x[column];
                }
                reals[layout.Score + row] += u * x[row];
            }
            reals[layout.Deviance] += deviance;
            counts[layout.Boundary] += atBoundary ? 1 : 0;
            var (nullW, nullU, nullDeviance, _) = Working(family, y, progress.NullCoefficient + offset);
            reals[layout.NullWeight] += nullW;
            reals[layout.NullScore] += nullU;
            reals[layout.NullDeviance] += nullDeviance;
            reals[layout.LikelihoodConstant] += family.LikelihoodConstant(y);
            for (var level = 0; level < design.Levels.Count; level++)
            {
                counts[layout.Levels + level] += IsAt(design.Levels[level], record) ? 1 : 0;
            }
        }
        var vector = new long[layout.Length];
        for (var slot = 0; slot < vector.Length; slot++)
        {
            vector[slot] = layout.IsScaled(slot) ? FixedPoint(reals[slot], slot) : counts[slot];
        }
        return vector;
    }

    /// <summary>The design of the job's model from its manifest's variables.</summary>
    public static GlmDesign DesignOf(JobTaskSpec job)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            return GlmDesign.For(job.Aggregation, JobManifests.VariablesOf(job));
        }
        catch (ArgumentException exception)
        {
            throw new NodeException($"Job {job.JobId} is not a model this node can fit: {exception.Message}");
        }
    }

    /// <summary>Whether the record has every variable of the model, so it takes part in the fit.</summary>
    public static bool Complete(GlmDesign design, LocalRecord record)
    {
        ArgumentNullException.ThrowIfNull(design);
        return Row(design, record, new double[design.Parameters], out _, out _, clipTo: null);
    }

    /// <summary>The record's row of the design matrix, outcome and offset, clipped to the bounds of <paramref name="clipTo"/> when given; false when one of them is missing.</summary>
    private static bool Row(GlmDesign design, LocalRecord record, double[] x, out double y, out double offset, IReadOnlyDictionary<string, LayoutVariable>? clipTo)
    {
        var given = design.Offset is null ? 0 : Clip(Number(record, design.Offset), design.Offset, clipTo);
        var response = design.OutcomeEvent is { } outcomeEvent ? Event(record, design, outcomeEvent)
            : design.Family.Name == GlmFamily.Binomial ? Number(record, design.Outcome) : Clip(Number(record, design.Outcome), design.Outcome, clipTo);
        (y, offset) = (response ?? double.NaN, given ?? 0);
        if (double.IsNaN(y) || given is null)
        {
            return false;
        }
        for (var j = 0; j < design.Columns.Count; j++)
        {
            var column = design.Columns[j];
            if (column.Variable is null)
            {
                x[j] = 1;
                continue;
            }
            var value = record.Values.GetValueOrDefault(column.Variable);
            double? entry = (value, column.Category) switch
            {
                (null, _) => null,
                (bool flag, _) => flag ? 1 : 0,
                (string category, { } dummy) => category == dummy ? 1 : Known(design, column.Variable, category) ? 0 : null,
                (long integer, null) => Clip(integer, column.Variable, clipTo),
                (decimal number, null) => Clip((double)number, column.Variable, clipTo),
                _ => null,
            };
            if (entry is null)
            {
                return false;
            }
            x[j] = entry.Value;
        }
        return true;
    }

    /// <summary>A categorical binomial outcome as 1 (its event category) or 0 (its other one); null when missing or another category.</summary>
    private static double? Event(LocalRecord record, GlmDesign design, string outcomeEvent) =>
        record.Values.GetValueOrDefault(design.Outcome) is string category && Known(design, design.Outcome, category) ? (category == outcomeEvent ? 1 : 0) : null;

    private static bool Known(GlmDesign design, string variable, string category) => design.Levels.Any(l => l.Variable == variable && l.Category == category);

    private static double? Number(LocalRecord record, string variable) => record.Values.GetValueOrDefault(variable) switch
    {
        bool flag => flag ? 1 : 0,
        long integer => integer,
        decimal number => (double)number,
        _ => null,
    };

    private static double? Clip(double? value, string variable, IReadOnlyDictionary<string, LayoutVariable>? clipTo) =>
        value is { } v && clipTo?.GetValueOrDefault(variable) is { IsBounded: true } bounded ? Math.Clamp(v, (double)bounded.Min!.Value, (double)bounded.Max!.Value) : value;

    private static bool IsAt(GlmLevel level, LocalRecord record) => record.Values.GetValueOrDefault(level.Variable) switch
    {
        bool flag => (flag ? "true" : "false") == level.Category,
        long integer when integer is 0 or 1 => (integer == 1 ? "true" : "false") == level.Category,
        string category => category == level.Category,
        _ => false,
    };

    /// <summary>The record's weight, score, unit deviance, and whether its mean is at the boundary.</summary>
    private static (double W, double U, double Deviance, bool AtBoundary) Working(GlmFamily family, double y, double eta)
    {
        var mu = family.Mean(eta);
        var derivative = family.MeanDerivative(eta);
        var variance = family.Variance(mu);
        return (derivative * derivative / variance, derivative * (y - mu) / variance, family.UnitDeviance(y, mu), family.AtBoundary(mu));
    }

    private static long FixedPoint(double value, int slot)
    {
        var scaled = Math.Round(value * GlmLayout.Scale, MidpointRounding.AwayFromZero);
        return double.IsFinite(scaled) && Math.Abs(scaled) < 9.2e18
            ? (long)scaled
            : throw new JobDataException($"Number {slot} of the model's round is {value}, beyond what its fixed point holds (about 9.2e11); rescale the covariates.");
    }
}
