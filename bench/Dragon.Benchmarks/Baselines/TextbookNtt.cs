using Dragon.Homomorphic.Ring;

namespace Dragon.Benchmarks.Baselines;

/// <summary>
/// Benchmark baseline only: the negacyclic Cooley-Tukey NTT as textbooks write it, with a full 128-bit remainder
/// for every twiddle product and eager reduction after every addition.
/// </summary>
internal static class TextbookNtt
{
    public static void Forward(Span<ulong> values, NttTables tables)
    {
        int n = values.Length;
        ulong q = tables.Modulus.Value;
        int gap = n;
        for (int m = 1; m < n; m <<= 1)
        {
            gap >>= 1;
            for (int i = 0; i < m; i++)
            {
                ulong w = tables.RootPowers[m + i];
                for (int j = 2 * i * gap; j < (2 * i * gap) + gap; j++)
                {
                    ulong u = values[j];
                    ulong v = (ulong)((UInt128)values[j + gap] * w % q);
                    values[j] = (u + v) % q;
                    values[j + gap] = (u + q - v) % q;
                }
            }
        }
    }

    public static void Inverse(Span<ulong> values, NttTables tables)
    {
        int n = values.Length;
        ulong q = tables.Modulus.Value;
        int gap = 1;
        for (int m = n; m > 1; m >>= 1)
        {
            int h = m >> 1;
            for (int i = 0; i < h; i++)
            {
                ulong w = tables.InverseRootPowers[h + i];
                for (int j = 2 * i * gap; j < (2 * i * gap) + gap; j++)
                {
                    ulong u = values[j];
                    ulong v = values[j + gap];
                    values[j] = (u + v) % q;
                    values[j + gap] = (ulong)((UInt128)((u + q - v) % q) * w % q);
                }
            }

            gap <<= 1;
        }

        for (int j = 0; j < n; j++)
        {
            values[j] = (ulong)((UInt128)values[j] * tables.DegreeInverse % q);
        }
    }
}
