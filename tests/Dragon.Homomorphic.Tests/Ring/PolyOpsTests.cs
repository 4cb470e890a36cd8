using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic.Tests.Ring;

public class PolyOpsTests
{
    [Theory]
    [InlineData(ParameterPresets.InsecureBfv1024, 1)]
    [InlineData(ParameterPresets.Bfv8192, 2)]
    public void ShoupMultiplication_MatchesBarrettMultiplication(string preset, int seed)
    {
        RnsBasis basis = EncryptionParameters.FromPreset(preset, allowInsecure: true).Basis;
        var random = new Random(seed);
        ulong[] x = RandomPoly(basis, random);
        ulong[] w = RandomPoly(basis, random);
        ulong[] accumulator = RandomPoly(basis, random);
        ulong[] shoup = PolyOps.ShoupPrecompute(basis, w);

        var expected = new ulong[basis.CoefficientCount];
        PolyOps.MultiplyNtt(basis, x, w, expected);
        var actual = new ulong[basis.CoefficientCount];
        PolyOps.MultiplyShoupNtt(basis, x, w, shoup, actual);
        Assert.Equal(expected, actual);

        ulong[] expectedSum = (ulong[])accumulator.Clone();
        PolyOps.MultiplyAddNtt(basis, x, w, expectedSum);
        PolyOps.MultiplyShoupNtt(basis, x, w, shoup, accumulator, accumulate: true);
        Assert.Equal(expectedSum, accumulator);
    }

    [Fact]
    public void AddSubNegate_StayReduced_AtTheEdges()
    {
        RnsBasis basis = EncryptionParameters.FromPreset(ParameterPresets.Bfv4096).Basis;
        var a = new ulong[basis.CoefficientCount];
        var b = new ulong[basis.CoefficientCount];
        for (int level = 0; level < basis.Count; level++)
        {
            ulong q = basis.Moduli[level].Value;
            for (int j = 0; j < basis.PolyDegree; j++)
            {
                a[(level * basis.PolyDegree) + j] = (j % 3) switch { 0 => 0, 1 => q - 1, _ => q / 2 };
                b[(level * basis.PolyDegree) + j] = (j % 5) switch { 0 => 0, 1 => q - 1, 2 => 1, _ => (q / 2) + 1 };
            }
        }

        var sum = new ulong[a.Length];
        var difference = new ulong[a.Length];
        var negated = new ulong[a.Length];
        PolyOps.Add(basis, a, b, sum);
        PolyOps.Sub(basis, a, b, difference);
        PolyOps.Negate(basis, a, negated);
        for (int i = 0; i < a.Length; i++)
        {
            ulong q = basis.Moduli[i / basis.PolyDegree].Value;
            Assert.Equal((ulong)(((UInt128)a[i] + b[i]) % q), sum[i]);
            Assert.Equal((ulong)(((UInt128)a[i] + q - b[i]) % q), difference[i]);
            Assert.Equal((q - a[i]) % q, negated[i]);
        }
    }

    private static ulong[] RandomPoly(RnsBasis basis, Random random)
    {
        var p = new ulong[basis.CoefficientCount];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = (ulong)random.NextInt64(long.MaxValue) % basis.Moduli[i / basis.PolyDegree].Value;
        }

        return p;
    }
}
