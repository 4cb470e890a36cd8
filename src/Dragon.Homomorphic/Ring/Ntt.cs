using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dragon.Homomorphic.Ring;

/// <summary>
/// Negacyclic number-theoretic transform over Z_q[X]/(X^n + 1) with Harvey's lazy butterflies and Shoup
/// multiplication by precomputed twiddles: the forward transform (Cooley-Tukey, natural order in, bit-reversed
/// order out) keeps values in [0, 4q) and the inverse (Gentleman-Sande) in [0, 2q), with one correction pass.
/// Stages whose butterflies are at least four apart run four lanes at a time with AVX2 (AVX-512VL supplies the
/// 64-bit low product and unsigned minimum where present); the 64x64-bit high product is assembled from four
/// 32x32-bit products. The last stages are scalar.
/// The span length is checked once on entry, so the loops index through references without further checks.
/// </summary>
internal static class Ntt
{
    private const int VectorGap = 4;

    private static readonly bool UseAvx2 = Avx2.IsSupported && Vector256.IsHardwareAccelerated;

    public static void Forward(Span<ulong> values, NttTables tables)
    {
        int n = tables.PolyDegree;
        if (values.Length != n)
        {
            throw new ArgumentException("The span length must equal the degree.", nameof(values));
        }

        ulong q = tables.Modulus.Value;
        ulong twoQ = q << 1;
        ref ulong a = ref MemoryMarshal.GetReference(values);
        ref ulong roots = ref MemoryMarshal.GetArrayDataReference(tables.RootPowers);
        ref ulong rootsShoup = ref MemoryMarshal.GetArrayDataReference(tables.RootPowersShoup);
        int gap = n;
        for (int m = 1; m < n; m <<= 1)
        {
            gap >>= 1;
            for (int i = 0; i < m; i++)
            {
                ulong w = Unsafe.Add(ref roots, m + i);
                ulong wShoup = Unsafe.Add(ref rootsShoup, m + i);
                ref ulong x = ref Unsafe.Add(ref a, 2 * i * gap);
                ref ulong y = ref Unsafe.Add(ref x, gap);
                int j = 0;
                if (UseAvx2 && gap >= VectorGap)
                {
                    ForwardBlockAvx2(ref x, ref y, gap, w, wShoup, q);
                    j = gap;
                }

                for (; j < gap; j++)
                {
                    ref ulong xj = ref Unsafe.Add(ref x, j);
                    ref ulong yj = ref Unsafe.Add(ref y, j);
                    ulong u = xj;
                    if (u >= twoQ)
                    {
                        u -= twoQ;
                    }

                    ulong v = (yj * w) - (Math.BigMul(yj, wShoup, out _) * q);
                    xj = u + v;
                    yj = u - v + twoQ;
                }
            }
        }

        ReduceFromFourQ(ref a, n, q);
    }

    public static void Inverse(Span<ulong> values, NttTables tables)
    {
        int n = tables.PolyDegree;
        if (values.Length != n)
        {
            throw new ArgumentException("The span length must equal the degree.", nameof(values));
        }

        ulong q = tables.Modulus.Value;
        ulong twoQ = q << 1;
        ref ulong a = ref MemoryMarshal.GetReference(values);
        ref ulong roots = ref MemoryMarshal.GetArrayDataReference(tables.InverseRootPowers);
        ref ulong rootsShoup = ref MemoryMarshal.GetArrayDataReference(tables.InverseRootPowersShoup);
        int gap = 1;
        for (int m = n; m > 1; m >>= 1)
        {
            int h = m >> 1;
            for (int i = 0; i < h; i++)
            {
                ulong w = Unsafe.Add(ref roots, h + i);
                ulong wShoup = Unsafe.Add(ref rootsShoup, h + i);
                ref ulong x = ref Unsafe.Add(ref a, 2 * i * gap);
                ref ulong y = ref Unsafe.Add(ref x, gap);
                int j = 0;
                if (UseAvx2 && gap >= VectorGap)
                {
                    InverseBlockAvx2(ref x, ref y, gap, w, wShoup, q);
                    j = gap;
                }

                for (; j < gap; j++)
                {
                    ref ulong xj = ref Unsafe.Add(ref x, j);
                    ref ulong yj = ref Unsafe.Add(ref y, j);
                    ulong u = xj;
                    ulong v = yj;
                    ulong sum = u + v;
                    if (sum >= twoQ)
                    {
                        sum -= twoQ;
                    }

                    ulong difference = u - v + twoQ;
                    xj = sum;
                    yj = (difference * w) - (Math.BigMul(difference, wShoup, out _) * q);
                }
            }

            gap <<= 1;
        }

        ScaleByDegreeInverse(ref a, n, q, tables.DegreeInverse, tables.DegreeInverseShoup);
    }

    private static void ForwardBlockAvx2(ref ulong x, ref ulong y, int gap, ulong w, ulong wShoup, ulong q)
    {
        var qv = Vector256.Create(q);
        var twoQv = Vector256.Create(q << 1);
        var wv = Vector256.Create(w);
        var wsv = Vector256.Create(wShoup);
        var wsHigh = Vector256.Create(wShoup >> 32);
        for (int j = 0; j < gap; j += Vector256<ulong>.Count)
        {
            Vector256<ulong> u = Vector256.LoadUnsafe(ref x, (nuint)j);
            Vector256<ulong> yv = Vector256.LoadUnsafe(ref y, (nuint)j);
            u = Vector256.Min(u, u - twoQv);
            Vector256<ulong> v = (yv * wv) - (MultiplyHigh(yv, wsv, wsHigh) * qv);
            (u + v).StoreUnsafe(ref x, (nuint)j);
            (u - v + twoQv).StoreUnsafe(ref y, (nuint)j);
        }
    }

    private static void InverseBlockAvx2(ref ulong x, ref ulong y, int gap, ulong w, ulong wShoup, ulong q)
    {
        var qv = Vector256.Create(q);
        var twoQv = Vector256.Create(q << 1);
        var wv = Vector256.Create(w);
        var wsv = Vector256.Create(wShoup);
        var wsHigh = Vector256.Create(wShoup >> 32);
        for (int j = 0; j < gap; j += Vector256<ulong>.Count)
        {
            Vector256<ulong> u = Vector256.LoadUnsafe(ref x, (nuint)j);
            Vector256<ulong> v = Vector256.LoadUnsafe(ref y, (nuint)j);
            Vector256<ulong> sum = u + v;
            Vector256<ulong> difference = u - v + twoQv;
            Vector256.Min(sum, sum - twoQv).StoreUnsafe(ref x, (nuint)j);
            ((difference * wv) - (MultiplyHigh(difference, wsv, wsHigh) * qv)).StoreUnsafe(ref y, (nuint)j);
        }
    }

    /// <summary>The high 64 bits of the lane-wise 128-bit products a*b, from four 32x32-bit products.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> MultiplyHigh(Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> bHigh)
    {
        var low32 = Vector256.Create(0xFFFF_FFFFUL);
        Vector256<ulong> aHigh = Vector256.ShiftRightLogical(a, 32);
        Vector256<ulong> ll = Avx2.Multiply(a.AsUInt32(), b.AsUInt32());
        Vector256<ulong> lh = Avx2.Multiply(a.AsUInt32(), bHigh.AsUInt32());
        Vector256<ulong> hl = Avx2.Multiply(aHigh.AsUInt32(), b.AsUInt32());
        Vector256<ulong> hh = Avx2.Multiply(aHigh.AsUInt32(), bHigh.AsUInt32());
        Vector256<ulong> middle = Vector256.ShiftRightLogical(ll, 32) + (lh & low32) + (hl & low32);
        return hh + Vector256.ShiftRightLogical(lh, 32) + Vector256.ShiftRightLogical(hl, 32) + Vector256.ShiftRightLogical(middle, 32);
    }

    private static void ReduceFromFourQ(ref ulong a, int n, ulong q)
    {
        ulong twoQ = q << 1;
        int j = 0;
        if (UseAvx2)
        {
            var qv = Vector256.Create(q);
            var twoQv = Vector256.Create(twoQ);
            for (; j + Vector256<ulong>.Count <= n; j += Vector256<ulong>.Count)
            {
                Vector256<ulong> v = Vector256.LoadUnsafe(ref a, (nuint)j);
                v = Vector256.Min(v, v - twoQv);
                Vector256.Min(v, v - qv).StoreUnsafe(ref a, (nuint)j);
            }
        }

        for (; j < n; j++)
        {
            ref ulong v = ref Unsafe.Add(ref a, j);
            if (v >= twoQ)
            {
                v -= twoQ;
            }

            if (v >= q)
            {
                v -= q;
            }
        }
    }

    private static void ScaleByDegreeInverse(ref ulong a, int n, ulong q, ulong nInverse, ulong nInverseShoup)
    {
        int j = 0;
        if (UseAvx2)
        {
            var qv = Vector256.Create(q);
            var wv = Vector256.Create(nInverse);
            var wsv = Vector256.Create(nInverseShoup);
            var wsHigh = Vector256.Create(nInverseShoup >> 32);
            for (; j + Vector256<ulong>.Count <= n; j += Vector256<ulong>.Count)
            {
                Vector256<ulong> v = Vector256.LoadUnsafe(ref a, (nuint)j);
                Vector256<ulong> r = (v * wv) - (MultiplyHigh(v, wsv, wsHigh) * qv);
                Vector256.Min(r, r - qv).StoreUnsafe(ref a, (nuint)j);
            }
        }

        for (; j < n; j++)
        {
            ref ulong v = ref Unsafe.Add(ref a, j);
            ulong r = (v * nInverse) - (Math.BigMul(v, nInverseShoup, out _) * q);
            v = r >= q ? r - q : r;
        }
    }
}
