using System.Numerics;

namespace Dragon.Homomorphic.Ring;

/// <summary>
/// The BFV maps between the plaintext ring Z_t and the ciphertext ring Z_q in RNS form:
/// scaling m to round(q * m / t), rounding x back to round(t * x / q) mod t without leaving word arithmetic,
/// and the exact centred value of [t * x]_q (the scaled noise) through multi-precision CRT composition.
/// </summary>
internal sealed class PlainScaling
{
    private readonly ulong[] deltaModQ;
    private readonly ulong[] deltaModQShoup;
    private readonly ulong[] plainModQ;
    private readonly ulong[] plainModQShoup;
    private readonly ulong[] thetaHigh;
    private readonly ulong[] thetaLow;
    private readonly double[] inversePrimes;
    private readonly ulong[] halfProductLimbs;
    private readonly ulong qModT;
    private readonly int plainShift;

    public PlainScaling(RnsBasis basis, ulong plainModulus)
    {
        ArgumentNullException.ThrowIfNull(basis);
        Basis = basis;
        Plain = new Modulus(plainModulus);
        int k = basis.Count;
        BigInteger q = basis.Product;
        BigInteger delta = q / plainModulus;
        qModT = (ulong)(q % plainModulus);
        deltaModQ = new ulong[k];
        deltaModQShoup = new ulong[k];
        plainModQ = new ulong[k];
        plainModQShoup = new ulong[k];
        thetaHigh = new ulong[k];
        thetaLow = new ulong[k];
        inversePrimes = new double[k];
        for (int i = 0; i < k; i++)
        {
            Modulus modulus = basis.Moduli[i];
            if (plainModulus >= modulus.Value)
            {
                throw new ArgumentOutOfRangeException(nameof(plainModulus), "The plain modulus must be below every prime of q.");
            }

            deltaModQ[i] = (ulong)(delta % modulus.Value);
            deltaModQShoup[i] = modulus.ShoupPrecompute(deltaModQ[i]);
            plainModQ[i] = plainModulus;
            plainModQShoup[i] = modulus.ShoupPrecompute(plainModulus);
            BigInteger theta = (new BigInteger(plainModulus) << 128) / modulus.Value;
            thetaHigh[i] = (ulong)(theta >> 64);
            thetaLow[i] = (ulong)(theta & ulong.MaxValue);
            inversePrimes[i] = 1.0 / modulus.Value;
        }

        halfProductLimbs = RnsBasis.ToLimbs(q >> 1, basis.Limbs);
        plainShift = BitOperations.IsPow2(plainModulus) ? BitOperations.Log2(plainModulus) : -1;
    }

    public RnsBasis Basis { get; }

    public Modulus Plain { get; }

    /// <summary>destination += round(q * m / t) for plaintext coefficients m in [0, t), in every level (coefficient domain).</summary>
    public void AddScaled(ReadOnlySpan<ulong> plain, Span<ulong> destination)
    {
        int n = Basis.PolyDegree;
        ulong t = Plain.Value;
        ulong halfT = t >> 1;
        for (int j = 0; j < n; j++)
        {
            ulong m = plain[j];
            ulong high = Math.BigMul(m, qModT, out ulong low);
            low += halfT;
            high += low < halfT ? 1UL : 0UL;
            ulong fix = plainShift >= 0 ? (low >> plainShift) | (plainShift == 0 ? 0 : high << (64 - plainShift)) : Plain.DivRem(high, low, out _);
            for (int level = 0; level < Basis.Count; level++)
            {
                Modulus modulus = Basis.Moduli[level];
                ulong scaled = modulus.MultiplyShoup(m, deltaModQ[level], deltaModQShoup[level]);
                ref ulong d = ref destination[(level * n) + j];
                d = modulus.Add(d, modulus.Add(scaled, fix));
            }
        }
    }

    /// <summary>plain = round(t * x / q) mod t for x in coefficient form.</summary>
    public void Decode(ReadOnlySpan<ulong> x, Span<ulong> plain)
    {
        int n = Basis.PolyDegree;
        int k = Basis.Count;
        ulong t = Plain.Value;
        for (int j = 0; j < n; j++)
        {
            ulong integer = 0;
            ulong fraction = 1UL << 63;
            for (int level = 0; level < k; level++)
            {
                Modulus modulus = Basis.Moduli[level];
                ulong y = modulus.MultiplyShoup(x[(level * n) + j], Basis.PuncturedInverse[level], Basis.PuncturedInverseShoup[level]);
                ulong partHigh = Math.BigMul(y, thetaHigh[level], out ulong partLow);
                ulong carryIn = Math.BigMul(y, thetaLow[level], out _);
                partLow += carryIn;
                partHigh += partLow < carryIn ? 1UL : 0UL;
                integer += partHigh;
                fraction += partLow;
                integer += fraction < partLow ? 1UL : 0UL;
            }

            plain[j] = plainShift >= 0 ? integer & (t - 1) : Plain.Reduce(integer);
        }
    }

    /// <summary>
    /// For x in coefficient form, writes into <paramref name="maxMagnitude"/> the largest |[t * x]_q| over all
    /// coefficients (centred representatives). For a valid encryption this equals t times the noise plus
    /// the encoding rounding, the quantity SEAL's invariant noise budget is computed from.
    /// </summary>
    public void MaxScaledNoise(ReadOnlySpan<ulong> x, Span<ulong> maxMagnitude)
    {
        int n = Basis.PolyDegree;
        int limbs = Basis.Limbs;
        Span<ulong> value = stackalloc ulong[limbs];
        maxMagnitude.Clear();
        for (int j = 0; j < n; j++)
        {
            ComposeScaledCentred(x, j, value);
            if (MultiWord.Compare(value, maxMagnitude) > 0)
            {
                value.CopyTo(maxMagnitude);
            }
        }
    }

    /// <summary>The number of coefficients whose |[t * x]_q| exceeds the bound (given in limbs).</summary>
    public int CountAboveBound(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> bound)
    {
        int n = Basis.PolyDegree;
        Span<ulong> value = stackalloc ulong[Basis.Limbs];
        int count = 0;
        for (int j = 0; j < n; j++)
        {
            ComposeScaledCentred(x, j, value);
            if (MultiWord.Compare(value, bound) > 0)
            {
                count++;
            }
        }

        return count;
    }

    private void ComposeScaledCentred(ReadOnlySpan<ulong> x, int j, Span<ulong> value)
    {
        int n = Basis.PolyDegree;
        value.Clear();
        double quotient = 0;
        for (int level = 0; level < Basis.Count; level++)
        {
            Modulus modulus = Basis.Moduli[level];
            ulong scaled = modulus.MultiplyShoup(x[(level * n) + j], plainModQ[level], plainModQShoup[level]);
            ulong y = modulus.MultiplyShoup(scaled, Basis.PuncturedInverse[level], Basis.PuncturedInverseShoup[level]);
            quotient += y * inversePrimes[level];
            MultiWord.MultiplyAdd(value, Basis.PuncturedLimbs[level], y);
        }

        ulong estimate = (ulong)Math.Floor(quotient);
        if (estimate > 0)
        {
            MultiWord.MultiplySubtract(value, Basis.ProductLimbs, estimate - 1);
        }

        while (MultiWord.Compare(value, Basis.ProductLimbs) >= 0)
        {
            MultiWord.Subtract(value, Basis.ProductLimbs);
        }

        if (MultiWord.Compare(value, halfProductLimbs) > 0)
        {
            MultiWord.SubtractFrom(Basis.ProductLimbs, value);
        }
    }
}
