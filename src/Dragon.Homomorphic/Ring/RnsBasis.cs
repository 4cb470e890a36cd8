using System.Numerics;

namespace Dragon.Homomorphic.Ring;

/// <summary>
/// A residue number system basis q = q_0 * ... * q_{k-1} of NTT-friendly primes for one degree n, with the
/// NTT tables of each prime and the CRT constants (punctured products q/q_i and their inverses mod q_i).
/// </summary>
internal sealed class RnsBasis
{
    public RnsBasis(int polyDegree, IReadOnlyList<ulong> primes)
    {
        ArgumentNullException.ThrowIfNull(primes);
        PolyDegree = polyDegree;
        Count = primes.Count;
        Moduli = new Modulus[Count];
        Tables = new NttTables[Count];
        for (int i = 0; i < Count; i++)
        {
            Moduli[i] = new Modulus(primes[i]);
            Tables[i] = new NttTables(Moduli[i], polyDegree);
        }

        Product = BigInteger.One;
        foreach (ulong p in primes)
        {
            Product *= p;
        }

        Limbs = Count + 1;
        ProductLimbs = ToLimbs(Product, Limbs);
        PuncturedLimbs = new ulong[Count][];
        PuncturedInverse = new ulong[Count];
        PuncturedInverseShoup = new ulong[Count];
        for (int i = 0; i < Count; i++)
        {
            BigInteger punctured = Product / primes[i];
            PuncturedLimbs[i] = ToLimbs(punctured, Limbs);
            ulong residue = (ulong)(punctured % primes[i]);
            PuncturedInverse[i] = Moduli[i].Inverse(residue);
            PuncturedInverseShoup[i] = Moduli[i].ShoupPrecompute(PuncturedInverse[i]);
        }
    }

    public int PolyDegree { get; }

    public int Count { get; }

    public Modulus[] Moduli { get; }

    public NttTables[] Tables { get; }

    /// <summary>The product q of all primes.</summary>
    public BigInteger Product { get; }

    /// <summary>Number of 64-bit limbs used for exact multi-precision values below (k + 1) * q.</summary>
    public int Limbs { get; }

    public ulong[] ProductLimbs { get; }

    public ulong[][] PuncturedLimbs { get; }

    public ulong[] PuncturedInverse { get; }

    public ulong[] PuncturedInverseShoup { get; }

    public int CoefficientCount => PolyDegree * Count;

    public static ulong[] ToLimbs(BigInteger value, int limbs)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Limbs hold non-negative values only.");
        }

        var result = new ulong[limbs];
        BigInteger rest = value;
        for (int i = 0; i < limbs; i++)
        {
            result[i] = (ulong)(rest & ulong.MaxValue);
            rest >>= 64;
        }

        if (!rest.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "The value does not fit the limbs.");
        }

        return result;
    }

    /// <summary>Forward NTT of every level of an RNS polynomial laid out level after level.</summary>
    public void ForwardNtt(Span<ulong> poly)
    {
        for (int i = 0; i < Count; i++)
        {
            Ntt.Forward(poly.Slice(i * PolyDegree, PolyDegree), Tables[i]);
        }
    }

    public void InverseNtt(Span<ulong> poly)
    {
        for (int i = 0; i < Count; i++)
        {
            Ntt.Inverse(poly.Slice(i * PolyDegree, PolyDegree), Tables[i]);
        }
    }
}
