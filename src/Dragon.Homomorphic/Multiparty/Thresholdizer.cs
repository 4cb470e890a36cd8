using System.Security.Cryptography;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// t-of-N secret sharing of the parties' secret keys (Shamir over R_Q, as the "thresholdizer" of Mouchet,
/// Troncoso-Pastoriza, Bossuat and Hubaux, PETS 2021). Each party i deals p_i(x) = s_i + a_1 x + ... + a_{t-1} x^{t-1}
/// with a_k uniform in R_Q (from the CSPRNG) to every point x = 1..N, its own included; each party sums what it received
/// into its <see cref="ThresholdShare"/> S_x = sum_i p_i(x). For a set T of t points, sum over x in T of
/// lambda_x(T) * S_x = s, the collective secret, so the parties of T decrypt with lambda_x * S_x in place of s_x
/// (<see cref="DecryptionShareProtocol.GenShare(ThresholdShare, IReadOnlyList{int}, CiphertextVector, DecryptionShare)"/>).
/// The Lagrange coefficients multiply the secret, not the noise: each party's smudging is added after, so the
/// decryption bounds depend on t (shares combined) and N (parties in the key), not on the coefficients.
/// </summary>
public sealed class Thresholdizer
{
    /// <summary>A thresholdizer for <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    public Thresholdizer(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
    }

    /// <summary>The parameters.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>
    /// Party i's shares of its secret for the points 1..<paramref name="partyCount"/> (element x - 1 goes to point x).
    /// Each must reach only its recipient: anyone with <paramref name="threshold"/> of them has the secret.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="ArgumentException">The secret belongs to other parameters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is not 1 to N, or N is not 1 to 65,536.</exception>
    public ThresholdShare[] Deal(SecretKey secret, int threshold, int partyCount)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Parameters.EnsureSame(secret.Parameters, nameof(secret));
        ArgumentOutOfRangeException.ThrowIfLessThan(partyCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partyCount, WireFormat.MaxPartyCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, partyCount);
        RnsBasis basis = Parameters.Basis;
        var coefficients = new ulong[threshold - 1][];
        byte[] seed = new byte[SeedExpander.SeedLength];
        for (int k = 0; k < coefficients.Length; k++)
        {
            coefficients[k] = new ulong[basis.CoefficientCount];
            RandomNumberGenerator.Fill(seed);
            SeedExpander.Expand(basis, SeedExpansion.Aes256Counter, seed, (byte)k, coefficients[k]);
        }

        CryptographicOperations.ZeroMemory(seed);
        var shares = new ThresholdShare[partyCount];
        for (int x = 1; x <= partyCount; x++)
        {
            // Horner: ((a_{t-1} x + a_{t-2}) x + ... + a_1) x + s_i.
            var value = new ulong[basis.CoefficientCount];
            for (int k = coefficients.Length - 1; k >= 0; k--)
            {
                PolyOps.Add(basis, value, coefficients[k], value);
                PolyOps.MultiplyScalar(basis, value, x, value);
            }

            PolyOps.Add(basis, value, secret.NttValue, value);
            shares[x - 1] = new ThresholdShare(Parameters, x, threshold, value);
        }

        foreach (ulong[] coefficient in coefficients)
        {
            Array.Clear(coefficient);
        }

        return shares;
    }

    /// <summary>A party's share of the collective secret: the sum of the shares every dealer sent its point, one each.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="received"/> or an element is null.</exception>
    /// <exception cref="ArgumentException">None are given, or they are for other parameters, another point or another threshold.</exception>
    public ThresholdShare Combine(IEnumerable<ThresholdShare> received)
    {
        ArgumentNullException.ThrowIfNull(received);
        ulong[]? sum = null;
        int point = 0;
        int threshold = 0;
        foreach (ThresholdShare share in received)
        {
            ArgumentNullException.ThrowIfNull(share, nameof(received));
            Parameters.EnsureSame(share.Parameters, nameof(received));
            if (sum is null)
            {
                (sum, point, threshold) = (new ulong[Parameters.Basis.CoefficientCount], share.Point, share.Threshold);
            }
            else if (share.Point != point || share.Threshold != threshold)
            {
                throw new ArgumentException("The shares are for different points or thresholds.", nameof(received));
            }

            PolyOps.Add(Parameters.Basis, sum, share.Value, sum);
        }

        return sum is null ? throw new ArgumentException("At least one share is needed.", nameof(received)) : new ThresholdShare(Parameters, point, threshold, sum);
    }

    /// <summary>
    /// The Lagrange coefficient of <paramref name="point"/> at zero for the set <paramref name="points"/>, one residue per
    /// prime of the basis: prod over the other points m of m / (m - point).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> is null.</exception>
    /// <exception cref="ArgumentException">The points are not distinct and positive, or do not include <paramref name="point"/>.</exception>
    public ulong[] LagrangeAtZero(int point, IReadOnlyList<int> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (!points.Contains(point) || points.Distinct().Count() != points.Count || points.Any(p => p < 1 || p > WireFormat.MaxPartyCount))
        {
            throw new ArgumentException("The points must be distinct, 1 to the party limit, and include the party's own.", nameof(points));
        }

        RnsBasis basis = Parameters.Basis;
        var lambda = new ulong[basis.Count];
        for (int level = 0; level < basis.Count; level++)
        {
            Modulus modulus = basis.Moduli[level];
            ulong numerator = 1;
            ulong denominator = 1;
            foreach (int other in points.Where(p => p != point))
            {
                numerator = modulus.Multiply(numerator, modulus.FromSigned(other));
                denominator = modulus.Multiply(denominator, modulus.FromSigned(other - point));
            }

            lambda[level] = modulus.Multiply(numerator, modulus.Inverse(denominator));
        }

        return lambda;
    }
}
