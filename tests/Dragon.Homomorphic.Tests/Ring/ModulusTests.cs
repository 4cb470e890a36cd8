using CsCheck;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic.Tests.Ring;

public class ModulusTests
{
    private static readonly ulong[] Moduli =
    [
        Dragon.Homomorphic.Ring.Primes.NttFriendly(60, 8192, 1)[0],
        Dragon.Homomorphic.Ring.Primes.NttFriendly(54, 4096, 1)[0],
        Dragon.Homomorphic.Ring.Primes.NttFriendly(30, 1024, 1)[0],
        (1UL << 61) - 1,
        1UL << 58,
        3UL,
    ];

    private static readonly Gen<ulong> Primes = Gen.Int[0, Moduli.Length - 1].Select(i => Moduli[i]);

    [Fact]
    public void Multiply_MatchesUInt128Arithmetic()
    {
        Gen.Select(Primes, Gen.ULong, Gen.ULong).Sample((q, a, b) =>
        {
            var modulus = new Modulus(q);
            ulong x = a % q;
            ulong y = b % q;
            Assert.Equal((ulong)((UInt128)x * y % q), modulus.Multiply(x, y));
        }, iter: 20_000);
    }

    [Fact]
    public void DivRem_MatchesUInt128Division_WhenQuotientFitsAWord()
    {
        Gen.Select(Primes, Gen.ULong, Gen.ULong).Sample((q, high, low) =>
        {
            var modulus = new Modulus(q);
            ulong h = high % q;
            UInt128 value = ((UInt128)h << 64) | low;
            ulong quotient = modulus.DivRem(h, low, out ulong remainder);
            Assert.Equal((ulong)(value / q), quotient);
            Assert.Equal((ulong)(value % q), remainder);
        }, iter: 20_000);
    }

    [Fact]
    public void ReduceAndShoup_MatchUInt128Arithmetic()
    {
        Gen.Select(Primes, Gen.ULong, Gen.ULong).Sample((q, x, w) =>
        {
            var modulus = new Modulus(q);
            ulong fixedOperand = w % q;
            ulong shoup = modulus.ShoupPrecompute(fixedOperand);
            Assert.Equal(x % q, modulus.Reduce(x));
            Assert.Equal((ulong)((UInt128)x * fixedOperand % q), modulus.MultiplyShoup(x, fixedOperand, shoup));
            Assert.True(modulus.MultiplyShoupLazy(x, fixedOperand, shoup) < 2 * q);
        }, iter: 20_000);
    }

    [Theory]
    [InlineData(2)]
    [InlineData((1UL << 61) - 1)]
    public void Constructor_AcceptsTheExtremes(ulong q) => Assert.Equal(q, new Modulus(q).Value);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1UL << 61)]
    public void Constructor_RejectsOutOfRange(ulong q) => Assert.Throws<ArgumentOutOfRangeException>(() => new Modulus(q));
}
