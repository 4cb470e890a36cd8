using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dragon.Homomorphic.Ring;

/// <summary>
/// Negacyclic number-theoretic transform over Z_q[X]/(X^n + 1) with Harvey's lazy butterflies and Shoup
/// multiplication by precomputed twiddles: the forward transform (Cooley-Tukey, natural order in, bit-reversed
/// order out) keeps values in [0, 4q) and the inverse (Gentleman-Sande) in [0, 2q); the forward ends with one
/// correction pass, the inverse folds n^-1 and the correction into its last stage.
/// With AVX2 every stage runs four butterflies at a time (AVX-512VL supplies the 64-bit low product and unsigned
/// minimum where present; the 64x64-bit high product is assembled from four 32x32-bit products); the stages whose
/// butterflies are one or two apart shuffle pairs of vectors. Moduli below 2^30 get a variant specialised at compile
/// time (<see cref="NarrowMultiplier"/>) with 32x32-bit products only. Without AVX2 the same butterflies run scalar.
/// The span length is checked once on entry, so the loops index through references without further checks.
/// </summary>
internal static class Ntt
{
    private const int VectorGap = 4;

    /// <summary>Below 2^30 every butterfly operand is below 2^32, so 32x32-bit products suffice.</summary>
    private const ulong NarrowLimit = 1UL << 30;

    private static readonly bool UseAvx2 = Avx2.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary>The two vector products a butterfly needs, specialised by operand width at compile time.</summary>
    private interface IVectorMultiplier
    {
        /// <summary>The high 64 bits of a*b, given bHigh = b >> 32.</summary>
        static abstract Vector256<ulong> High(Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> bHigh);

        /// <summary>The low 64 bits of a*b.</summary>
        static abstract Vector256<ulong> Low(Vector256<ulong> a, Vector256<ulong> b);
    }

    public static void Forward(Span<ulong> values, NttTables tables)
    {
        if (tables.Modulus.Value < NarrowLimit)
        {
            Forward<NarrowMultiplier>(values, tables);
        }
        else
        {
            Forward<WideMultiplier>(values, tables);
        }
    }

    public static void Inverse(Span<ulong> values, NttTables tables)
    {
        if (tables.Modulus.Value < NarrowLimit)
        {
            Inverse<NarrowMultiplier>(values, tables);
        }
        else
        {
            Inverse<WideMultiplier>(values, tables);
        }
    }

    private static void Forward<TMul>(Span<ulong> values, NttTables tables)
        where TMul : struct, IVectorMultiplier
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
            if (UseAvx2 && gap == 2 && m >= 2)
            {
                ForwardGapTwoAvx2<TMul>(ref a, ref roots, ref rootsShoup, m, q);
                continue;
            }

            if (UseAvx2 && gap == 1 && m >= 4)
            {
                ForwardGapOneAvx2<TMul>(ref a, ref roots, ref rootsShoup, m, q);
                continue;
            }

            for (int i = 0; i < m; i++)
            {
                ulong w = Unsafe.Add(ref roots, m + i);
                ulong wShoup = Unsafe.Add(ref rootsShoup, m + i);
                ref ulong x = ref Unsafe.Add(ref a, 2 * i * gap);
                ref ulong y = ref Unsafe.Add(ref x, gap);
                int j = 0;
                if (UseAvx2 && gap >= VectorGap)
                {
                    ForwardBlockAvx2<TMul>(ref x, ref y, gap, w, wShoup, q);
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

    private static void Inverse<TMul>(Span<ulong> values, NttTables tables)
        where TMul : struct, IVectorMultiplier
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
        for (int m = n; m > 2; m >>= 1)
        {
            int h = m >> 1;
            if (UseAvx2 && gap == 1 && h >= 4)
            {
                InverseGapOneAvx2<TMul>(ref a, ref roots, ref rootsShoup, h, q);
                gap <<= 1;
                continue;
            }

            if (UseAvx2 && gap == 2 && h >= 2)
            {
                InverseGapTwoAvx2<TMul>(ref a, ref roots, ref rootsShoup, h, q);
                gap <<= 1;
                continue;
            }

            for (int i = 0; i < h; i++)
            {
                ulong w = Unsafe.Add(ref roots, h + i);
                ulong wShoup = Unsafe.Add(ref rootsShoup, h + i);
                ref ulong x = ref Unsafe.Add(ref a, 2 * i * gap);
                ref ulong y = ref Unsafe.Add(ref x, gap);
                int j = 0;
                if (UseAvx2 && gap >= VectorGap)
                {
                    InverseBlockAvx2<TMul>(ref x, ref y, gap, w, wShoup, q);
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

        LastStageScaled<TMul>(ref a, n >> 1, q, tables);
    }

    /// <summary>The stage with butterflies two apart: two blocks [x0 x1 y0 y1] per pair of vectors.</summary>
    private static void ForwardGapTwoAvx2<TMul>(ref ulong a, ref ulong roots, ref ulong rootsShoup, int m, ulong q)
        where TMul : struct, IVectorMultiplier
    {
        var qv = Vector256.Create(q);
        var twoQv = Vector256.Create(q << 1);
        for (int i = 0; i < m; i += 2)
        {
            ref ulong block = ref Unsafe.Add(ref a, 4 * i);
            Vector256<ulong> v0 = Vector256.LoadUnsafe(ref block);
            Vector256<ulong> v1 = Vector256.LoadUnsafe(ref block, 4);
            Vector256<ulong> x = Avx2.Permute2x128(v0, v1, 0x20);
            Vector256<ulong> y = Avx2.Permute2x128(v0, v1, 0x31);
            Vector256<ulong> w = Avx2.Permute4x64(Vector128.LoadUnsafe(ref roots, (nuint)(m + i)).ToVector256Unsafe(), 0x50);
            Vector256<ulong> ws = Avx2.Permute4x64(Vector128.LoadUnsafe(ref rootsShoup, (nuint)(m + i)).ToVector256Unsafe(), 0x50);
            (x, y) = ForwardButterfly<TMul>(x, y, w, ws, qv, twoQv);
            Avx2.Permute2x128(x, y, 0x20).StoreUnsafe(ref block);
            Avx2.Permute2x128(x, y, 0x31).StoreUnsafe(ref block, 4);
        }
    }

    /// <summary>The stage with adjacent butterflies: four blocks [x y] per pair of vectors.</summary>
    private static void ForwardGapOneAvx2<TMul>(ref ulong a, ref ulong roots, ref ulong rootsShoup, int m, ulong q)
        where TMul : struct, IVectorMultiplier
    {
        var qv = Vector256.Create(q);
        var twoQv = Vector256.Create(q << 1);
        for (int i = 0; i < m; i += 4)
        {
            ref ulong block = ref Unsafe.Add(ref a, 2 * i);
            Vector256<ulong> v0 = Vector256.LoadUnsafe(ref block);
            Vector256<ulong> v1 = Vector256.LoadUnsafe(ref block, 4);
            Vector256<ulong> x = Avx2.UnpackLow(v0, v1);
            Vector256<ulong> y = Avx2.UnpackHigh(v0, v1);
            Vector256<ulong> w = Avx2.Permute4x64(Vector256.LoadUnsafe(ref roots, (nuint)(m + i)), 0xD8);
            Vector256<ulong> ws = Avx2.Permute4x64(Vector256.LoadUnsafe(ref rootsShoup, (nuint)(m + i)), 0xD8);
            (x, y) = ForwardButterfly<TMul>(x, y, w, ws, qv, twoQv);
            Avx2.UnpackLow(x, y).StoreUnsafe(ref block);
            Avx2.UnpackHigh(x, y).StoreUnsafe(ref block, 4);
        }
    }

    private static void InverseGapOneAvx2<TMul>(ref ulong a, ref ulong roots, ref ulong rootsShoup, int h, ulong q)
        where TMul : struct, IVectorMultiplier
    {
        var qv = Vector256.Create(q);
        var twoQv = Vector256.Create(q << 1);
        for (int i = 0; i < h; i += 4)
        {
            ref ulong block = ref Unsafe.Add(ref a, 2 * i);
            Vector256<ulong> v0 = Vector256.LoadUnsafe(ref block);
            Vector256<ulong> v1 = Vector256.LoadUnsafe(ref block, 4);
            Vector256<ulong> x = Avx2.UnpackLow(v0, v1);
            Vector256<ulong> y = Avx2.UnpackHigh(v0, v1);
            Vector256<ulong> w = Avx2.Permute4x64(Vector256.LoadUnsafe(ref roots, (nuint)(h + i)), 0xD8);
            Vector256<ulong> ws = Avx2.Permute4x64(Vector256.LoadUnsafe(ref rootsShoup, (nuint)(h + i)), 0xD8);
            (x, y) = InverseButterfly<TMul>(x, y, w, ws, qv, twoQv);
            Avx2.UnpackLow(x, y).StoreUnsafe(ref block);
            Avx2.UnpackHigh(x, y).StoreUnsafe(ref block, 4);
        }
    }

    private static void InverseGapTwoAvx2<TMul>(ref ulong a, ref ulong roots, ref ulong rootsShoup, int h, ulong q)
        where TMul : struct, IVectorMultiplier
    {
        var qv = Vector256.Create(q);
        var twoQv = Vector256.Create(q << 1);
        for (int i = 0; i < h; i += 2)
        {
            ref ulong block = ref Unsafe.Add(ref a, 4 * i);
            Vector256<ulong> v0 = Vector256.LoadUnsafe(ref block);
            Vector256<ulong> v1 = Vector256.LoadUnsafe(ref block, 4);
            Vector256<ulong> x = Avx2.Permute2x128(v0, v1, 0x20);
            Vector256<ulong> y = Avx2.Permute2x128(v0, v1, 0x31);
            Vector256<ulong> w = Avx2.Permute4x64(Vector128.LoadUnsafe(ref roots, (nuint)(h + i)).ToVector256Unsafe(), 0x50);
            Vector256<ulong> ws = Avx2.Permute4x64(Vector128.LoadUnsafe(ref rootsShoup, (nuint)(h + i)).ToVector256Unsafe(), 0x50);
            (x, y) = InverseButterfly<TMul>(x, y, w, ws, qv, twoQv);
            Avx2.Permute2x128(x, y, 0x20).StoreUnsafe(ref block);
            Avx2.Permute2x128(x, y, 0x31).StoreUnsafe(ref block, 4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<ulong> X, Vector256<ulong> Y) ForwardButterfly<TMul>(
        Vector256<ulong> x, Vector256<ulong> y, Vector256<ulong> w, Vector256<ulong> ws, Vector256<ulong> qv, Vector256<ulong> twoQv)
        where TMul : struct, IVectorMultiplier
    {
        Vector256<ulong> u = Vector256.Min(x, x - twoQv);
        Vector256<ulong> v = TMul.Low(y, w) - TMul.Low(TMul.High(y, ws, Vector256.ShiftRightLogical(ws, 32)), qv);
        return (u + v, u - v + twoQv);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<ulong> X, Vector256<ulong> Y) InverseButterfly<TMul>(
        Vector256<ulong> x, Vector256<ulong> y, Vector256<ulong> w, Vector256<ulong> ws, Vector256<ulong> qv, Vector256<ulong> twoQv)
        where TMul : struct, IVectorMultiplier
    {
        Vector256<ulong> sum = x + y;
        Vector256<ulong> difference = x - y + twoQv;
        return (Vector256.Min(sum, sum - twoQv), TMul.Low(difference, w) - TMul.Low(TMul.High(difference, ws, Vector256.ShiftRightLogical(ws, 32)), qv));
    }

    private static void ForwardBlockAvx2<TMul>(ref ulong x, ref ulong y, int gap, ulong w, ulong wShoup, ulong q)
        where TMul : struct, IVectorMultiplier
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
            Vector256<ulong> v = TMul.Low(yv, wv) - TMul.Low(TMul.High(yv, wsv, wsHigh), qv);
            (u + v).StoreUnsafe(ref x, (nuint)j);
            (u - v + twoQv).StoreUnsafe(ref y, (nuint)j);
        }
    }

    private static void InverseBlockAvx2<TMul>(ref ulong x, ref ulong y, int gap, ulong w, ulong wShoup, ulong q)
        where TMul : struct, IVectorMultiplier
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
            (TMul.Low(difference, wv) - TMul.Low(TMul.High(difference, wsv, wsHigh), qv)).StoreUnsafe(ref y, (nuint)j);
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

    /// <summary>
    /// The last inverse stage (one block, butterflies n/2 apart) with n^-1 folded into its twiddles:
    /// x' = (x + y) * n^-1 and y' = (x - y) * w * n^-1, fully reduced to [0, q).
    /// </summary>
    private static void LastStageScaled<TMul>(ref ulong a, int half, ulong q, NttTables tables)
        where TMul : struct, IVectorMultiplier
    {
        ulong twoQ = q << 1;
        ulong nInverse = tables.DegreeInverse;
        ulong nInverseShoup = tables.DegreeInverseShoup;
        ulong w = tables.LastInverseRootScaled;
        ulong wShoup = tables.LastInverseRootScaledShoup;
        ref ulong y = ref Unsafe.Add(ref a, half);
        int j = 0;
        if (UseAvx2 && half >= 4)
        {
            var qv = Vector256.Create(q);
            var twoQv = Vector256.Create(twoQ);
            var nv = Vector256.Create(nInverse);
            var nsv = Vector256.Create(nInverseShoup);
            var nsHigh = Vector256.Create(nInverseShoup >> 32);
            var wv = Vector256.Create(w);
            var wsv = Vector256.Create(wShoup);
            var wsHigh = Vector256.Create(wShoup >> 32);
            for (; j + 4 <= half; j += 4)
            {
                Vector256<ulong> u = Vector256.LoadUnsafe(ref a, (nuint)j);
                Vector256<ulong> v = Vector256.LoadUnsafe(ref y, (nuint)j);
                Vector256<ulong> sum = u + v;
                Vector256<ulong> difference = u - v + twoQv;
                Vector256<ulong> x0 = TMul.Low(sum, nv) - TMul.Low(TMul.High(sum, nsv, nsHigh), qv);
                Vector256<ulong> y0 = TMul.Low(difference, wv) - TMul.Low(TMul.High(difference, wsv, wsHigh), qv);
                Vector256.Min(x0, x0 - qv).StoreUnsafe(ref a, (nuint)j);
                Vector256.Min(y0, y0 - qv).StoreUnsafe(ref y, (nuint)j);
            }
        }

        for (; j < half; j++)
        {
            ref ulong xj = ref Unsafe.Add(ref a, j);
            ref ulong yj = ref Unsafe.Add(ref y, j);
            ulong sum = xj + yj;
            ulong difference = xj - yj + twoQ;
            ulong x0 = (sum * nInverse) - (Math.BigMul(sum, nInverseShoup, out _) * q);
            ulong y0 = (difference * w) - (Math.BigMul(difference, wShoup, out _) * q);
            xj = x0 >= q ? x0 - q : x0;
            yj = y0 >= q ? y0 - q : y0;
        }
    }

    /// <summary>Any operands below 2^64 (moduli up to 2^61).</summary>
    private readonly struct WideMultiplier : IVectorMultiplier
    {
        public static Vector256<ulong> High(Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> bHigh) => MultiplyHigh(a, b, bHigh);

        public static Vector256<ulong> Low(Vector256<ulong> a, Vector256<ulong> b) => a * b;
    }

    /// <summary>
    /// Left operands below 2^32 (moduli below 2^30, e.g. batching plain moduli): hi(a*b) = (a*b_hi + (a*b_lo >> 32)) >> 32
    /// from two 32x32-bit products, and the low product is a single 32x32-bit product.
    /// </summary>
    private readonly struct NarrowMultiplier : IVectorMultiplier
    {
        public static Vector256<ulong> High(Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> bHigh)
        {
            Vector256<ulong> low = Avx2.Multiply(a.AsUInt32(), b.AsUInt32());
            Vector256<ulong> high = Avx2.Multiply(a.AsUInt32(), bHigh.AsUInt32());
            return Vector256.ShiftRightLogical(high + Vector256.ShiftRightLogical(low, 32), 32);
        }

        public static Vector256<ulong> Low(Vector256<ulong> a, Vector256<ulong> b) => Avx2.Multiply(a.AsUInt32(), b.AsUInt32());
    }
}
