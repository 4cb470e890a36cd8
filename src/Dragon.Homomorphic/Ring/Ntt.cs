namespace Dragon.Homomorphic.Ring;

/// <summary>
/// Negacyclic number-theoretic transform over Z_q[X]/(X^n + 1) with Harvey's lazy butterflies:
/// the forward transform (Cooley-Tukey, natural order in, bit-reversed order out) keeps values in [0, 4q)
/// and the inverse (Gentleman-Sande) in [0, 2q), with a single correction pass at the end.
/// </summary>
internal static class Ntt
{
    public static void Forward(Span<ulong> values, NttTables tables)
    {
        int n = tables.PolyDegree;
        if (values.Length != n)
        {
            throw new ArgumentException("The span length must equal the degree.", nameof(values));
        }

        ulong q = tables.Modulus.Value;
        ulong twoQ = q << 1;
        ReadOnlySpan<ulong> roots = tables.RootPowers;
        ReadOnlySpan<ulong> rootsShoup = tables.RootPowersShoup;
        int gap = n;
        for (int m = 1; m < n; m <<= 1)
        {
            gap >>= 1;
            for (int i = 0; i < m; i++)
            {
                ulong w = roots[m + i];
                ulong wShoup = rootsShoup[m + i];
                Span<ulong> x = values.Slice(2 * i * gap, gap);
                Span<ulong> y = values.Slice((2 * i * gap) + gap, gap);
                for (int j = 0; j < x.Length; j++)
                {
                    ulong u = x[j];
                    if (u >= twoQ)
                    {
                        u -= twoQ;
                    }

                    ulong yj = y[j];
                    ulong v = (yj * w) - (Math.BigMul(yj, wShoup, out _) * q);
                    x[j] = u + v;
                    y[j] = u - v + twoQ;
                }
            }
        }

        for (int j = 0; j < values.Length; j++)
        {
            ulong v = values[j];
            if (v >= twoQ)
            {
                v -= twoQ;
            }

            if (v >= q)
            {
                v -= q;
            }

            values[j] = v;
        }
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
        ReadOnlySpan<ulong> roots = tables.InverseRootPowers;
        ReadOnlySpan<ulong> rootsShoup = tables.InverseRootPowersShoup;
        int gap = 1;
        for (int m = n; m > 1; m >>= 1)
        {
            int h = m >> 1;
            for (int i = 0; i < h; i++)
            {
                ulong w = roots[h + i];
                ulong wShoup = rootsShoup[h + i];
                Span<ulong> x = values.Slice(2 * i * gap, gap);
                Span<ulong> y = values.Slice((2 * i * gap) + gap, gap);
                for (int j = 0; j < x.Length; j++)
                {
                    ulong u = x[j];
                    ulong v = y[j];
                    ulong sum = u + v;
                    if (sum >= twoQ)
                    {
                        sum -= twoQ;
                    }

                    ulong difference = u - v + twoQ;
                    x[j] = sum;
                    y[j] = (difference * w) - (Math.BigMul(difference, wShoup, out _) * q);
                }
            }

            gap <<= 1;
        }

        ulong nInverse = tables.DegreeInverse;
        ulong nInverseShoup = tables.DegreeInverseShoup;
        for (int j = 0; j < values.Length; j++)
        {
            ulong v = values[j];
            ulong r = (v * nInverse) - (Math.BigMul(v, nInverseShoup, out _) * q);
            values[j] = r >= q ? r - q : r;
        }
    }
}
