namespace Dragon.Homomorphic.Ring;

/// <summary>Primality testing and the search for NTT-friendly primes q = 1 mod 2n.</summary>
internal static class Primes
{
    private static readonly ulong[] WitnessBases = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];

    /// <summary>Deterministic Miller-Rabin for every 64-bit integer (the first twelve primes as bases).</summary>
    public static bool IsPrime(ulong value)
    {
        if (value < 2)
        {
            return false;
        }

        foreach (ulong p in WitnessBases)
        {
            if (value % p == 0)
            {
                return value == p;
            }
        }

        ulong d = value - 1;
        int r = 0;
        while ((d & 1) == 0)
        {
            d >>= 1;
            r++;
        }

        foreach (ulong a in WitnessBases)
        {
            ulong x = PowMod(a, d, value);
            if (x == 1 || x == value - 1)
            {
                continue;
            }

            bool composite = true;
            for (int i = 1; i < r; i++)
            {
                x = (ulong)((UInt128)x * x % value);
                if (x == value - 1)
                {
                    composite = false;
                    break;
                }
            }

            if (composite)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The <paramref name="count"/> largest primes of exactly <paramref name="bitSize"/> bits that are 1 mod
    /// 2n, skipping any in <paramref name="exclude"/>, in decreasing order.
    /// </summary>
    public static ulong[] NttFriendly(int bitSize, int polyDegree, int count, IReadOnlyCollection<ulong>? exclude = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitSize, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitSize, 61);
        ulong step = 2UL * (ulong)polyDegree;
        ulong upper = (1UL << bitSize) - 1;
        ulong lower = 1UL << (bitSize - 1);
        ulong candidate = upper - ((upper - 1) % step);
        var result = new List<ulong>(count);
        while (result.Count < count)
        {
            if (candidate <= lower)
            {
                throw new ArgumentException($"Not enough {bitSize}-bit primes congruent to 1 mod {step}.", nameof(bitSize));
            }

            if (IsPrime(candidate) && (exclude is null || !exclude.Contains(candidate)))
            {
                result.Add(candidate);
            }

            candidate -= step;
        }

        return [.. result];
    }

    /// <summary>A primitive 2n-th root of unity modulo a prime q = 1 mod 2n, found deterministically.</summary>
    public static ulong PrimitiveRoot(ulong q, int polyDegree)
    {
        ulong order = 2UL * (ulong)polyDegree;
        if ((q - 1) % order != 0)
        {
            throw new ArgumentException($"{q} is not 1 mod {order}.", nameof(q));
        }

        ulong cofactor = (q - 1) / order;
        ulong best = 0;
        for (ulong g = 2; g < q && best == 0; g++)
        {
            ulong root = PowMod(g, cofactor, q);
            if (PowMod(root, order / 2, q) == q - 1)
            {
                best = root;
            }
        }

        return best;
    }

    public static ulong PowMod(ulong baseValue, ulong exponent, ulong modulus)
    {
        UInt128 result = 1;
        UInt128 b = baseValue % modulus;
        while (exponent != 0)
        {
            if ((exponent & 1) != 0)
            {
                result = result * b % modulus;
            }

            b = b * b % modulus;
            exponent >>= 1;
        }

        return (ulong)result;
    }
}
