using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dragon.Homomorphic.Ring;

/// <summary>
/// Coefficient-wise arithmetic on RNS polynomials stored level after level (k blocks of n words).
/// Additions run on 256-bit vectors with the branch-free reduction min(s, s - q).
/// </summary>
internal static class PolyOps
{
    public static void Add(RnsBasis basis, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> destination)
    {
        int n = basis.PolyDegree;
        for (int level = 0; level < basis.Count; level++)
        {
            AddLevel(a.Slice(level * n, n), b.Slice(level * n, n), destination.Slice(level * n, n), basis.Moduli[level].Value);
        }
    }

    public static void Sub(RnsBasis basis, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> destination)
    {
        int n = basis.PolyDegree;
        for (int level = 0; level < basis.Count; level++)
        {
            SubLevel(a.Slice(level * n, n), b.Slice(level * n, n), destination.Slice(level * n, n), basis.Moduli[level].Value);
        }
    }

    public static void Negate(RnsBasis basis, ReadOnlySpan<ulong> a, Span<ulong> destination)
    {
        int n = basis.PolyDegree;
        for (int level = 0; level < basis.Count; level++)
        {
            ulong q = basis.Moduli[level].Value;
            ReadOnlySpan<ulong> x = a.Slice(level * n, n);
            Span<ulong> d = destination.Slice(level * n, n);
            for (int j = 0; j < x.Length; j++)
            {
                ulong v = x[j];
                d[j] = v == 0 ? 0 : q - v;
            }
        }
    }

    /// <summary>destination = a * b coefficient-wise (both in the NTT domain).</summary>
    public static void MultiplyNtt(RnsBasis basis, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> destination)
    {
        int n = basis.PolyDegree;
        for (int level = 0; level < basis.Count; level++)
        {
            Modulus modulus = basis.Moduli[level];
            ReadOnlySpan<ulong> x = a.Slice(level * n, n);
            ReadOnlySpan<ulong> y = b.Slice(level * n, n);
            Span<ulong> d = destination.Slice(level * n, n);
            for (int j = 0; j < x.Length; j++)
            {
                d[j] = modulus.Multiply(x[j], y[j]);
            }
        }
    }

    /// <summary>Shoup constants floor(w * 2^64 / q_i) of every coefficient of a fixed operand w.</summary>
    public static ulong[] ShoupPrecompute(RnsBasis basis, ReadOnlySpan<ulong> w)
    {
        int n = basis.PolyDegree;
        var result = new ulong[basis.CoefficientCount];
        for (int level = 0; level < basis.Count; level++)
        {
            Modulus modulus = basis.Moduli[level];
            for (int j = 0; j < n; j++)
            {
                result[(level * n) + j] = modulus.ShoupPrecompute(w[(level * n) + j]);
            }
        }

        return result;
    }

    /// <summary>
    /// destination = x * w coefficient-wise for a fixed operand w with precomputed Shoup constants (NTT domain);
    /// with <paramref name="accumulate"/>, destination += x * w instead.
    /// </summary>
    public static void MultiplyShoupNtt(RnsBasis basis, ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> w, ReadOnlySpan<ulong> wShoup, Span<ulong> destination, bool accumulate = false)
    {
        int size = basis.CoefficientCount;
        if (x.Length < size || w.Length < size || wShoup.Length < size || destination.Length < size)
        {
            throw new ArgumentException("Every operand must hold k * n coefficients.");
        }

        int n = basis.PolyDegree;
        for (int level = 0; level < basis.Count; level++)
        {
            ulong q = basis.Moduli[level].Value;
            int offset = level * n;
            ref ulong xr = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), offset);
            ref ulong wr = ref Unsafe.Add(ref MemoryMarshal.GetReference(w), offset);
            ref ulong sr = ref Unsafe.Add(ref MemoryMarshal.GetReference(wShoup), offset);
            ref ulong dr = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), offset);
            int j = 0;
            if (Avx2.IsSupported && Vector256.IsHardwareAccelerated)
            {
                var qv = Vector256.Create(q);
                for (; j + 4 <= n; j += 4)
                {
                    Vector256<ulong> xv = Vector256.LoadUnsafe(ref xr, (nuint)j);
                    Vector256<ulong> wv = Vector256.LoadUnsafe(ref wr, (nuint)j);
                    Vector256<ulong> sv = Vector256.LoadUnsafe(ref sr, (nuint)j);
                    Vector256<ulong> r = (xv * wv) - (Ntt.MultiplyHigh(xv, sv, Vector256.ShiftRightLogical(sv, 32)) * qv);
                    r = Vector256.Min(r, r - qv);
                    if (accumulate)
                    {
                        r += Vector256.LoadUnsafe(ref dr, (nuint)j);
                        r = Vector256.Min(r, r - qv);
                    }

                    r.StoreUnsafe(ref dr, (nuint)j);
                }
            }

            for (; j < n; j++)
            {
                ulong xj = Unsafe.Add(ref xr, j);
                ulong r = (xj * Unsafe.Add(ref wr, j)) - (Math.BigMul(xj, Unsafe.Add(ref sr, j), out _) * q);
                r = r >= q ? r - q : r;
                if (accumulate)
                {
                    r += Unsafe.Add(ref dr, j);
                    r = r >= q ? r - q : r;
                }

                Unsafe.Add(ref dr, j) = r;
            }
        }
    }

    /// <summary>accumulator += a * b coefficient-wise (both in the NTT domain).</summary>
    public static void MultiplyAddNtt(RnsBasis basis, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> accumulator)
    {
        int n = basis.PolyDegree;
        for (int level = 0; level < basis.Count; level++)
        {
            Modulus modulus = basis.Moduli[level];
            ulong q = modulus.Value;
            ReadOnlySpan<ulong> x = a.Slice(level * n, n);
            ReadOnlySpan<ulong> y = b.Slice(level * n, n);
            Span<ulong> d = accumulator.Slice(level * n, n);
            for (int j = 0; j < x.Length; j++)
            {
                ulong s = d[j] + modulus.Multiply(x[j], y[j]);
                d[j] = s >= q ? s - q : s;
            }
        }
    }

    /// <summary>destination = scalar * a for a signed scalar.</summary>
    public static void MultiplyScalar(RnsBasis basis, ReadOnlySpan<ulong> a, long scalar, Span<ulong> destination)
    {
        int n = basis.PolyDegree;
        for (int level = 0; level < basis.Count; level++)
        {
            Modulus modulus = basis.Moduli[level];
            ulong w = modulus.FromSigned(scalar);
            ulong wShoup = modulus.ShoupPrecompute(w);
            ReadOnlySpan<ulong> x = a.Slice(level * n, n);
            Span<ulong> d = destination.Slice(level * n, n);
            for (int j = 0; j < x.Length; j++)
            {
                d[j] = modulus.MultiplyShoup(x[j], w, wShoup);
            }
        }
    }

    /// <summary>Writes small signed integers (|x| below every prime) into every level.</summary>
    public static void LiftSigned(RnsBasis basis, ReadOnlySpan<long> small, Span<ulong> destination)
    {
        int n = basis.PolyDegree;
        for (int level = 0; level < basis.Count; level++)
        {
            ulong q = basis.Moduli[level].Value;
            Span<ulong> d = destination.Slice(level * n, n);
            for (int j = 0; j < d.Length; j++)
            {
                long v = small[j];
                d[j] = v >= 0 ? (ulong)v : q - (ulong)(-v);
            }
        }
    }

    /// <summary>destination += small signed integers (|x| below every prime), in every level.</summary>
    public static void AddSigned(RnsBasis basis, ReadOnlySpan<long> small, Span<ulong> destination)
    {
        int n = basis.PolyDegree;
        for (int level = 0; level < basis.Count; level++)
        {
            ulong q = basis.Moduli[level].Value;
            Span<ulong> d = destination.Slice(level * n, n);
            for (int j = 0; j < d.Length; j++)
            {
                long v = small[j];
                ulong s = d[j] + (v >= 0 ? (ulong)v : q - (ulong)(-v));
                d[j] = s >= q ? s - q : s;
            }
        }
    }

    /// <summary>True when every coefficient of every level lies below its prime.</summary>
    public static bool IsReduced(RnsBasis basis, ReadOnlySpan<ulong> poly)
    {
        int n = basis.PolyDegree;
        if (poly.Length != basis.CoefficientCount)
        {
            return false;
        }

        for (int level = 0; level < basis.Count; level++)
        {
            ulong q = basis.Moduli[level].Value;
            foreach (ulong v in poly.Slice(level * n, n))
            {
                if (v >= q)
                {
                    return false;
                }
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddLevel(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> d, ulong q)
    {
        int n = a.Length;
        if (b.Length < n || d.Length < n)
        {
            throw new ArgumentException("Operands differ in length.");
        }

        ref ulong ar = ref MemoryMarshal.GetReference(a);
        ref ulong br = ref MemoryMarshal.GetReference(b);
        ref ulong dr = ref MemoryMarshal.GetReference(d);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var qv = Vector256.Create(q);
            for (; j + 8 <= n; j += 8)
            {
                Vector256<ulong> s0 = Vector256.LoadUnsafe(ref ar, (nuint)j) + Vector256.LoadUnsafe(ref br, (nuint)j);
                Vector256<ulong> s1 = Vector256.LoadUnsafe(ref ar, (nuint)j + 4) + Vector256.LoadUnsafe(ref br, (nuint)j + 4);
                Vector256.Min(s0, s0 - qv).StoreUnsafe(ref dr, (nuint)j);
                Vector256.Min(s1, s1 - qv).StoreUnsafe(ref dr, (nuint)j + 4);
            }
        }

        for (; j < n; j++)
        {
            ulong s = Unsafe.Add(ref ar, j) + Unsafe.Add(ref br, j);
            Unsafe.Add(ref dr, j) = s >= q ? s - q : s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SubLevel(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> d, ulong q)
    {
        int n = a.Length;
        if (b.Length < n || d.Length < n)
        {
            throw new ArgumentException("Operands differ in length.");
        }

        ref ulong ar = ref MemoryMarshal.GetReference(a);
        ref ulong br = ref MemoryMarshal.GetReference(b);
        ref ulong dr = ref MemoryMarshal.GetReference(d);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var qv = Vector256.Create(q);
            for (; j + 8 <= n; j += 8)
            {
                Vector256<ulong> s0 = Vector256.LoadUnsafe(ref ar, (nuint)j) - Vector256.LoadUnsafe(ref br, (nuint)j) + qv;
                Vector256<ulong> s1 = Vector256.LoadUnsafe(ref ar, (nuint)j + 4) - Vector256.LoadUnsafe(ref br, (nuint)j + 4) + qv;
                Vector256.Min(s0, s0 - qv).StoreUnsafe(ref dr, (nuint)j);
                Vector256.Min(s1, s1 - qv).StoreUnsafe(ref dr, (nuint)j + 4);
            }
        }

        for (; j < n; j++)
        {
            ulong s = Unsafe.Add(ref ar, j) - Unsafe.Add(ref br, j) + q;
            Unsafe.Add(ref dr, j) = s >= q ? s - q : s;
        }
    }
}
