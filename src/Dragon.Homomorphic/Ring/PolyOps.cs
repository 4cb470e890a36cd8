using System.Numerics;
using System.Runtime.CompilerServices;

namespace Dragon.Homomorphic.Ring;

/// <summary>
/// Coefficient-wise arithmetic on RNS polynomials stored level after level (k blocks of n words).
/// Additions use Vector&lt;ulong&gt; with the branch-free reduction min(s, s - q).
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
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var qv = new Vector<ulong>(q);
            int width = Vector<ulong>.Count;
            for (; j <= a.Length - width; j += width)
            {
                Vector<ulong> s = new Vector<ulong>(a.Slice(j)) + new Vector<ulong>(b.Slice(j));
                Vector.Min(s, s - qv).CopyTo(d.Slice(j));
            }
        }

        for (; j < a.Length; j++)
        {
            ulong s = a[j] + b[j];
            d[j] = s >= q ? s - q : s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SubLevel(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> d, ulong q)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var qv = new Vector<ulong>(q);
            int width = Vector<ulong>.Count;
            for (; j <= a.Length - width; j += width)
            {
                Vector<ulong> s = new Vector<ulong>(a.Slice(j)) - new Vector<ulong>(b.Slice(j)) + qv;
                Vector.Min(s, s - qv).CopyTo(d.Slice(j));
            }
        }

        for (; j < a.Length; j++)
        {
            ulong s = a[j] - b[j] + q;
            d[j] = s >= q ? s - q : s;
        }
    }
}
