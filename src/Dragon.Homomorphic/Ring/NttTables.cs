using System.Numerics;

namespace Dragon.Homomorphic.Ring;

/// <summary>
/// Precomputed twiddle factors for the negacyclic NTT of degree n modulo one prime q = 1 mod 2n:
/// powers of a primitive 2n-th root psi in bit-reversed order, their inverses, n^-1, each with its Shoup constant.
/// </summary>
internal sealed class NttTables
{
    public NttTables(Modulus modulus, int polyDegree)
    {
        if (polyDegree < 2 || !BitOperations.IsPow2(polyDegree))
        {
            throw new ArgumentOutOfRangeException(nameof(polyDegree), polyDegree, "The degree must be a power of two.");
        }

        Modulus = modulus;
        PolyDegree = polyDegree;
        int logN = BitOperations.Log2((uint)polyDegree);
        ulong psi = Primes.PrimitiveRoot(modulus.Value, polyDegree);
        ulong psiInverse = modulus.Inverse(psi);

        RootPowers = new ulong[polyDegree];
        RootPowersShoup = new ulong[polyDegree];
        InverseRootPowers = new ulong[polyDegree];
        InverseRootPowersShoup = new ulong[polyDegree];

        ulong power = 1;
        ulong inversePower = 1;
        for (int i = 0; i < polyDegree; i++)
        {
            int index = (int)(BitReverse((uint)i, logN));
            RootPowers[index] = power;
            RootPowersShoup[index] = modulus.ShoupPrecompute(power);
            InverseRootPowers[index] = inversePower;
            InverseRootPowersShoup[index] = modulus.ShoupPrecompute(inversePower);
            power = modulus.Multiply(power, psi);
            inversePower = modulus.Multiply(inversePower, psiInverse);
        }

        DegreeInverse = modulus.Inverse((ulong)polyDegree % modulus.Value);
        DegreeInverseShoup = modulus.ShoupPrecompute(DegreeInverse);
        LastInverseRootScaled = modulus.Multiply(InverseRootPowers[1], DegreeInverse);
        LastInverseRootScaledShoup = modulus.ShoupPrecompute(LastInverseRootScaled);
    }

    public Modulus Modulus { get; }

    public int PolyDegree { get; }

    public ulong[] RootPowers { get; }

    public ulong[] RootPowersShoup { get; }

    public ulong[] InverseRootPowers { get; }

    public ulong[] InverseRootPowersShoup { get; }

    public ulong DegreeInverse { get; }

    public ulong DegreeInverseShoup { get; }

    /// <summary>The last inverse-stage twiddle times n^-1, so the inverse transform folds its scaling into that stage.</summary>
    public ulong LastInverseRootScaled { get; }

    public ulong LastInverseRootScaledShoup { get; }

    public static uint BitReverse(uint value, int bits) => bits == 0 ? 0 : BitReverseFull(value) >> (32 - bits);

    private static uint BitReverseFull(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
