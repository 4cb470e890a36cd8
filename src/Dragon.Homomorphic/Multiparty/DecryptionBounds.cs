using System.Numerics;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// Worst-case (infinity-norm) noise bounds for collective decryption of an aggregate of K public-key encryptions
/// under an N-party collective key, and the smudging bound derived from them. With errors bounded by B_e = 21
/// (centred binomial, eta = 21), ternary u, and s = sum of N ternary shares:
/// <list type="bullet">
/// <item>one fresh ciphertext: |v| &lt;= B_e * (2nN + 1) + 1 (e*u, e1*s, e0, and the rounding of round(q*m/t));</item>
/// <item>the aggregate: B_agg = K times that;</item>
/// <item>smudging: each share adds noise uniform in [-B_smudge, B_smudge], B_smudge = 2^b * B_agg, with b from the
/// <see cref="SmudgingTarget"/> (for key sets: b = 40 + 16 + log2 n, so 2^-40 over 65,536 decrypted parts);</item>
/// <item>total: B_total = B_agg + T * B_smudge, required to satisfy B_total + 1 &lt;= q / (4t), where T is the number of
/// shares combined: N, or the threshold of a t-of-N key set (<see cref="Thresholdizer"/>; its Lagrange coefficients
/// scale the secret, not the smudging).</item>
/// </list>
/// Correctness needs only q / (2t); the extra factor 2 makes a missing or wrong share detectable: its residual is
/// uniform, so each of the n coefficients passes the check with probability at most 1/2.
/// </summary>
public sealed class DecryptionBounds
{
    private DecryptionBounds(EncryptionParameters parameters, int partyCount, int ciphertextCount, SmudgingTarget target, int shareCount)
    {
        Parameters = parameters;
        PartyCount = partyCount;
        ShareCount = shareCount;
        CiphertextCount = ciphertextCount;
        Target = target;
        SmudgingBits = target.SmudgingBitsFor(parameters.PolyModulusDegree);
        BigInteger n = parameters.PolyModulusDegree;
        FreshNoise = (Sampler.ErrorBound * ((2 * n * partyCount) + 1)) + 1;
        AggregateNoise = FreshNoise * ciphertextCount;
        Smudging = AggregateNoise << SmudgingBits;
        TotalNoise = AggregateNoise + (shareCount * Smudging);
        Limit = parameters.CoeffModulusProduct / (4 * new BigInteger(parameters.PlainModulus));
    }

    /// <summary>The parameters.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>Number of parties N whose secrets form the key.</summary>
    public int PartyCount { get; }

    /// <summary>Number of decryption shares combined: N, or the threshold t of a t-of-N key set.</summary>
    public int ShareCount { get; }

    /// <summary>The statistical distance target the smudging is sized for.</summary>
    public SmudgingTarget Target { get; }

    /// <summary>log2(B_smudge / B_agg): the target's distance and lifetime bits plus log2 n.</summary>
    public int SmudgingBits { get; }

    /// <summary>Number K of fresh public-key ciphertexts summed into the aggregate.</summary>
    public int CiphertextCount { get; }

    /// <summary>Bound on the noise of one fresh public-key encryption under the N-party key.</summary>
    public BigInteger FreshNoise { get; }

    /// <summary>Bound on the aggregate's noise, B_agg = K * FreshNoise.</summary>
    public BigInteger AggregateNoise { get; }

    /// <summary>The smudging bound B_smudge = 2^<see cref="SmudgingBits"/> * B_agg.</summary>
    public BigInteger Smudging { get; }

    /// <summary>Bound on the combined noise, B_agg + T * B_smudge for T = <see cref="ShareCount"/>.</summary>
    public BigInteger TotalNoise { get; }

    /// <summary>The largest total noise accepted, floor(q / (4t)) (half of the correctness limit q / (2t)).</summary>
    public BigInteger Limit { get; }

    /// <summary>True when decryption is guaranteed correct and share verification meaningful.</summary>
    public bool IsWithinLimit => TotalNoise + 1 <= Limit && Smudging < (BigInteger.One << 125);

    /// <summary>Remaining headroom in bits, log2(Limit / TotalNoise) rounded down (negative when over).</summary>
    public long MarginBits => (long)Limit.GetBitLength() - (long)TotalNoise.GetBitLength();

    /// <summary>
    /// log2 of the bound on the statistical distance one release of <paramref name="parts"/> ciphertext parts leaves
    /// (a share's smudging against shares independent of the secret): log2(parts * n * B_agg / (2 B_smudge + 1)).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is below 1.</exception>
    public double Log2DistancePerRelease(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        BigInteger numerator = parts * (BigInteger)Parameters.PolyModulusDegree * AggregateNoise;
        return BigInteger.Log(numerator, 2) - BigInteger.Log((2 * Smudging) + 1, 2);
    }

    /// <summary>log2 of the bound on the statistical distance over the key set's life (<see cref="SmudgingTarget.MaxDecryptedParts"/> parts).</summary>
    public double Log2DistanceOverLifetime => Log2DistancePerRelease(1) + Target.LifetimeBits;

    /// <summary>Computes the bounds for the key-set <see cref="SmudgingTarget.KeySetLifetime"/> target without checking them.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    public static DecryptionBounds Compute(EncryptionParameters parameters, int partyCount, int ciphertextCount) =>
        Compute(parameters, partyCount, ciphertextCount, SmudgingTarget.KeySetLifetime);

    /// <summary>Computes the bounds without checking them.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or <paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    public static DecryptionBounds Compute(EncryptionParameters parameters, int partyCount, int ciphertextCount, SmudgingTarget target) =>
        Compute(parameters, partyCount, partyCount, ciphertextCount, target);

    /// <summary>Computes the bounds of a <paramref name="threshold"/>-of-<paramref name="partyCount"/> key set without checking them.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or <paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1, or the threshold above the party count.</exception>
    public static DecryptionBounds Compute(EncryptionParameters parameters, int partyCount, int threshold, int ciphertextCount, SmudgingTarget target)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(partyCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, partyCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(ciphertextCount, 1);
        return new DecryptionBounds(parameters, partyCount, ciphertextCount, target, threshold);
    }

    /// <summary>The largest number of summed ciphertexts that N parties can decrypt correctly under the key-set target (0 if none).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partyCount"/> is below 1.</exception>
    public static long MaxCiphertextCount(EncryptionParameters parameters, int partyCount) =>
        MaxCiphertextCount(parameters, partyCount, SmudgingTarget.KeySetLifetime);

    /// <summary>The largest number of summed ciphertexts that N parties can decrypt correctly under <paramref name="target"/> (0 if none).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or <paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partyCount"/> is below 1.</exception>
    public static long MaxCiphertextCount(EncryptionParameters parameters, int partyCount, SmudgingTarget target) =>
        MaxCiphertextCount(parameters, partyCount, partyCount, target);

    /// <summary>The largest number of summed ciphertexts that any <paramref name="threshold"/> of N parties can decrypt correctly under <paramref name="target"/> (0 if none).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or <paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partyCount"/> is below 1, or the threshold not 1 to N.</exception>
    public static long MaxCiphertextCount(EncryptionParameters parameters, int partyCount, int threshold, SmudgingTarget target)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(partyCount, 1);
        DecryptionBounds one = Compute(parameters, partyCount, threshold, 1, target);
        BigInteger perCiphertext = one.TotalNoise;
        BigInteger max = (one.Limit - 1) / perCiphertext;
        BigInteger smudgeCap = ((BigInteger.One << 125) - 1) / one.Smudging;
        max = BigInteger.Min(max, smudgeCap);
        return max > int.MaxValue ? int.MaxValue : (long)max;
    }

    /// <summary>True when <paramref name="partyCount"/> parties can decrypt the sum of one ciphertext each under the key-set target.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partyCount"/> is below 1.</exception>
    public static bool SupportsParties(EncryptionParameters parameters, int partyCount) =>
        MaxCiphertextCount(parameters, partyCount) >= partyCount;
}
