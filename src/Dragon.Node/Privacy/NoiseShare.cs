using System.Numerics;

namespace Dragon.Node.Privacy;

/// <summary>
/// This node's share of a differentially private job's noise: an independent discrete Gaussian per number of its local
/// vector, added before the vector is encrypted, so no one (the platform included) sees the vector or the sum without it.
/// </summary>
public static class NoiseShare
{
    /// <summary>Variances are rounded up to a multiple of 2^-20, never down: the noise is at least what was calibrated.</summary>
    private static readonly BigInteger Denominator = BigInteger.One << 20;

    public static void Add(long[] vector, IReadOnlyList<double> variances, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(variances);
        ArgumentNullException.ThrowIfNull(random);
        if (variances.Count != vector.Length)
        {
            throw new ArgumentException($"{variances.Count} variances for a vector of {vector.Length} numbers.", nameof(variances));
        }
        for (var i = 0; i < vector.Length; i++)
        {
            if (variances[i] == 0)
            {
                continue;
            }
            var numerator = new BigInteger(Math.Ceiling(variances[i] * (double)Denominator));
            vector[i] = checked(vector[i] + new DiscreteGaussian(numerator, Denominator, random).Next());
        }
    }
}
