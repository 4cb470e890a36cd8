using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>Helpers that build coefficient moduli of NTT-friendly primes (SEAL's CoeffModulus.Create).</summary>
public static class CoeffModulus
{
    /// <summary>
    /// Distinct primes q_i = 1 mod 2n with the requested bit sizes (the largest such primes of each size).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="bitSizes"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The degree is not a power of two in [2, 2^15] or a size is outside [20, 61].</exception>
    public static ulong[] Create(int polyModulusDegree, IReadOnlyList<int> bitSizes)
    {
        ArgumentNullException.ThrowIfNull(bitSizes);
        if (polyModulusDegree < 2 || polyModulusDegree > EncryptionParameters.MaxPolyModulusDegree || !System.Numerics.BitOperations.IsPow2(polyModulusDegree))
        {
            throw new ArgumentOutOfRangeException(nameof(polyModulusDegree), polyModulusDegree, "The degree must be a power of two no larger than 32768.");
        }

        var primes = new List<ulong>(bitSizes.Count);
        foreach (int size in bitSizes)
        {
            if (size < 20 || size > 61)
            {
                throw new ArgumentOutOfRangeException(nameof(bitSizes), size, "Prime sizes must lie in [20, 61] bits.");
            }

            primes.Add(Primes.NttFriendly(size, polyModulusDegree, 1, primes)[0]);
        }

        return [.. primes];
    }

    /// <summary>The largest prime below 2^bitSize that is 1 mod 2n, for a batching plain modulus.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size lies outside [14, 58] bits.</exception>
    public static ulong PlainPrime(int polyModulusDegree, int bitSize)
    {
        if (bitSize < 14 || bitSize > 58)
        {
            throw new ArgumentOutOfRangeException(nameof(bitSize), bitSize, "Batching plain moduli must have 14 to 58 bits.");
        }

        return Primes.NttFriendly(bitSize, polyModulusDegree, 1)[0];
    }
}
