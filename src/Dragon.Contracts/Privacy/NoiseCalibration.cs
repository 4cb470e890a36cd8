using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;

namespace Dragon.Contracts.Privacy;

/// <summary>
/// The discrete Gaussian noise of a differentially private job, per number of its local vector (in the vector's
/// fixed-point units), which the nodes and the platform compute alike from the manifest. The vector's numbers fall in
/// groups of one sensitivity each: a count, a bin table (one person moves one bin by 1), a sum (by the larger
/// magnitude of the variable's bounds), a sum of squares (by its square), the clipped count; rho is shared equally
/// between the groups (zCDP composes by adding); a model's round has a group per sum (<see cref="GlmSensitivity"/>). Each node adds its share so that the nodes other than any one of them
/// already reach the group's budget under the distributed discrete Gaussian bound: one node that colludes with the
/// platform, or leaves its noise out, takes away only its own share.
/// </summary>
public static class NoiseCalibration
{
    /// <summary>How many releases a differentially private job makes, each spending its rho: one per round of a model, else one.</summary>
    public static int Releases(AggregationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Kind == "glm" ? spec.MaxIterations ?? GlmIteration.DefaultMaxIterations : 1;
    }

    /// <summary>The nodes whose noise the guarantee rests on: all but one, when there are two or more.</summary>
    public static int HonestNodes(int participants) => Math.Max(1, participants - 1);

    /// <summary>The variance each node's noise has, per number of the vector.</summary>
    /// <param name="model">A model's round: the coefficients its sensitivities depend on.</param>
    /// <exception cref="ArgumentException">The aggregation cannot be laid out, is a sum, mean or variance of a variable without bounds, or a model without its round or that <see cref="GlmSensitivity"/> does not support.</exception>
    public static double[] NodeVariances(AggregationSpec spec, IReadOnlyDictionary<string, LayoutVariable> variables, double rho, int participants, GlmProgress? model = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(rho, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(participants, 1);
        var layout = AggregationLayout.For(spec, variables);
        var groups = Groups(spec, layout, variables, model);
        var honest = HonestNodes(participants);
        var groupRho = rho / groups.Count;
        var variances = new double[layout.Length];
        foreach (var (slots, sensitivity) in groups)
        {
            var nodeVariance = ZeroConcentratedDp.GaussianVariance(sensitivity, groupRho) / honest;
            while (ZeroConcentratedDp.DistributedDiscreteGaussianRho(sensitivity, sensitivity, slots.Length, honest, nodeVariance) > groupRho)
            {
                nodeVariance *= 1.01;
            }
            foreach (var slot in slots)
            {
                variances[slot] = nodeVariance;
            }
        }
        return variances;
    }

    /// <summary>The variance of the noise in the sum of all participants' vectors, per number: what the release reports.</summary>
    /// <param name="participants">The participant count the nodes calibrated to (a t-of-N job's fewest contributors).</param>
    /// <param name="contributors">How many nodes' noise is in the sum (all <paramref name="participants"/> when absent).</param>
    public static double[] TotalVariances(AggregationSpec spec, IReadOnlyDictionary<string, LayoutVariable> variables, double rho, int participants, int? contributors = null,
        GlmProgress? model = null) =>
        [.. NodeVariances(spec, variables, rho, participants, model).Select(v => v * (contributors ?? participants))];

    private static List<(int[] Slots, double Sensitivity)> Groups(AggregationSpec spec, AggregationLayout layout, IReadOnlyDictionary<string, LayoutVariable> variables, GlmProgress? model)
    {
        if (spec.Kind == "glm")
        {
            return GlmSensitivity.Groups(GlmDesign.For(spec, variables), variables,
                model ?? throw new ArgumentException("A differentially private model's noise depends on the round's coefficients.", nameof(model)));
        }
        if (spec.Kind is "histogram" or "crosstab")
        {
            return [([.. Enumerable.Range(0, layout.Length)], 1)];
        }
        if (spec.Kind == "count")
        {
            return [([0], 1)];
        }
        var variable = spec.Variable is not null && variables.TryGetValue(spec.Variable, out var found) ? found
            : throw new ArgumentException($"No variable '{spec.Variable}' to {spec.Kind}.", nameof(variables));
        if (!variable.IsBounded)
        {
            throw new ArgumentException($"Variable '{variable.Name}' has no declared bounds; a differentially private {spec.Kind} needs them.", nameof(variables));
        }
        var bound = variable.LargestMagnitude() * Math.Pow(10, layout.DecimalPlaces);
        // A bound of 0 (a variable that is always 0) still gets noise of sensitivity 1, like a count.
        bound = Math.Max(bound, 1);
        List<(int[], double)> groups = spec.Kind == "variance"
            ? [([0], bound), ([1], bound * bound), ([2], 1)]
            : [([0], bound), ([1], 1)];
        groups.Add(([layout.ClippedSlot!.Value], 1));
        return groups;
    }
}
