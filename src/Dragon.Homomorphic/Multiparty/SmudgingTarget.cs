namespace Dragon.Homomorphic;

/// <summary>
/// How close to uniform the smudging must keep a key set's decryption shares: the statistical distance between the
/// shares a party gives and shares that do not depend on its secret is at most 2^-<see cref="DistanceBits"/> over
/// 2^<see cref="LifetimeBits"/> decrypted ciphertext parts (each of n coefficients), the key set's whole life.
/// The flooding noise is sized as B_smudge = 2^(DistanceBits + LifetimeBits + log2 n) * B_agg: one part's share then
/// leaves at most n * B_agg / (2 B_smudge + 1) &lt; 2^-(DistanceBits + LifetimeBits + 1), and the key set's life, by a
/// union bound over its parts, less than 2^-(DistanceBits + 1).
/// </summary>
/// <param name="DistanceBits">The statistical distance target over the key set's life, as -log2.</param>
/// <param name="LifetimeBits">log2 of the number of ciphertext parts a key set may decrypt before it must be retired.</param>
public sealed record SmudgingTarget(int DistanceBits, int LifetimeBits)
{
    /// <summary>2^-40 over 65,536 decrypted parts: what key sets of the platform use.</summary>
    public static SmudgingTarget KeySetLifetime { get; } = new(40, 16);

    /// <summary>
    /// 2^-20 over one part: far too weak for protocol use (it would need a new key set after every decryption and
    /// still leak); for tests of the arithmetic near the noise limits at small parameters only.
    /// </summary>
    public static SmudgingTarget InsecureForTests { get; } = new(20, 0);

    /// <summary>How many ciphertext parts a key set may decrypt under this target.</summary>
    public long MaxDecryptedParts => 1L << LifetimeBits;

    /// <summary>log2(B_smudge / B_agg) for parameters of degree <paramref name="polyModulusDegree"/>.</summary>
    public int SmudgingBitsFor(int polyModulusDegree) => DistanceBits + LifetimeBits + System.Numerics.BitOperations.Log2((uint)polyModulusDegree);
}
