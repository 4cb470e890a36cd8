using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic.Tests.Ring;

public class NttTests
{
    public static TheoryData<int, int, int> Cases => new()
    {
        { 16, 30, 1 },
        { 64, 50, 2 },
        { 256, 60, 3 },
        { 512, 61, 4 },
        { 1024, 40, 5 },
        { 256, 20, 6 },
        { 2048, 29, 7 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Multiplication_ThroughNtt_EqualsNaiveNegacyclicProduct(int n, int bits, int seed)
    {
        var random = new Random(seed);
        foreach (ulong q in Primes.NttFriendly(bits, n, 2))
        {
            var tables = new NttTables(new Modulus(q), n);
            for (int trial = 0; trial < 3; trial++)
            {
                ulong[] a = RandomPoly(random, n, q);
                ulong[] b = RandomPoly(random, n, q);
                ulong[] expected = NaiveNegacyclic(a, b, q);

                ulong[] fa = (ulong[])a.Clone();
                ulong[] fb = (ulong[])b.Clone();
                Ntt.Forward(fa, tables);
                Ntt.Forward(fb, tables);
                var product = new ulong[n];
                for (int i = 0; i < n; i++)
                {
                    product[i] = (ulong)((UInt128)fa[i] * fb[i] % q);
                }

                Ntt.Inverse(product, tables);
                Assert.Equal(expected, product);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void InverseOfForward_IsIdentity_AndOutputsAreReduced(int n, int bits, int seed)
    {
        var random = new Random(seed);
        ulong q = Primes.NttFriendly(bits, n, 1)[0];
        var tables = new NttTables(new Modulus(q), n);
        ulong[] a = RandomPoly(random, n, q);
        ulong[] copy = (ulong[])a.Clone();
        Ntt.Forward(copy, tables);
        Assert.All(copy, v => Assert.True(v < q));
        Ntt.Inverse(copy, tables);
        Assert.Equal(a, copy);
    }

    [Fact]
    public void Forward_OfXMinusConstant_IsEvaluationAtOddPowersOfPsi()
    {
        const int n = 32;
        ulong q = Primes.NttFriendly(40, n, 1)[0];
        var tables = new NttTables(new Modulus(q), n);
        var x = new ulong[n];
        x[1] = 1;
        Ntt.Forward(x, tables);
        Assert.Equal(n, x.Distinct().Count());
        Assert.All(x, v => Assert.Equal(q - 1, Primes.PowMod(v, (ulong)n, q)));
    }

    private static ulong[] RandomPoly(Random random, int n, ulong q)
    {
        var p = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            p[i] = (ulong)random.NextInt64(long.MaxValue) % q;
        }

        return p;
    }

    private static ulong[] NaiveNegacyclic(ulong[] a, ulong[] b, ulong q)
    {
        int n = a.Length;
        var result = new UInt128[n];
        var negative = new UInt128[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                UInt128 product = (UInt128)a[i] * b[j] % q;
                int k = i + j;
                if (k < n)
                {
                    result[k] = (result[k] + product) % q;
                }
                else
                {
                    negative[k - n] = (negative[k - n] + product) % q;
                }
            }
        }

        var output = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            output[i] = (ulong)((result[i] + q - negative[i]) % q);
        }

        return output;
    }
}
