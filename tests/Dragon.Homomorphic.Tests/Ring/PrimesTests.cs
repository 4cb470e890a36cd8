using System.Numerics;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic.Tests.Ring;

public class PrimesTests
{
    [Theory]
    [InlineData(2UL, true)]
    [InlineData(561UL, false)]
    [InlineData(3215031751UL, false)]
    [InlineData(4294967291UL, true)]
    [InlineData(18446744073709551557UL, true)]
    [InlineData(3825123056546413051UL, false)]
    public void IsPrime_KnownValues(ulong value, bool expected) => Assert.Equal(expected, Primes.IsPrime(value));

    [Fact]
    public void IsPrime_AgreesWithTrialDivision_BelowOneHundredThousand()
    {
        for (ulong v = 0; v < 100_000; v++)
        {
            bool trial = v >= 2;
            for (ulong d = 2; d * d <= v && trial; d++)
            {
                trial = v % d != 0;
            }

            Assert.True(trial == Primes.IsPrime(v), $"{v}");
        }
    }

    [Theory]
    [InlineData(60, 8192, 3)]
    [InlineData(54, 4096, 2)]
    [InlineData(50, 32768, 4)]
    public void NttFriendly_GivesDistinctPrimesOfTheSizeCongruentToOne(int bits, int n, int count)
    {
        ulong[] primes = Primes.NttFriendly(bits, n, count);
        Assert.Equal(count, primes.Distinct().Count());
        foreach (ulong p in primes)
        {
            Assert.True(Primes.IsPrime(p));
            Assert.Equal(1UL, p % (2UL * (ulong)n));
            Assert.Equal(bits, 64 - BitOperations.LeadingZeroCount(p));
        }
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(8192)]
    public void PrimitiveRoot_HasOrderTwoN(int n)
    {
        ulong q = Primes.NttFriendly(50, n, 1)[0];
        ulong root = Primes.PrimitiveRoot(q, n);
        Assert.Equal(q - 1, Primes.PowMod(root, (ulong)n, q));
        Assert.Equal(1UL, Primes.PowMod(root, 2UL * (ulong)n, q));
    }
}
