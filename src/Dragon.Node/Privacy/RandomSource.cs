using System.Numerics;
using System.Security.Cryptography;

namespace Dragon.Node.Privacy;

/// <summary>
/// Uniform integers for the noise samplers: <see cref="Secure"/> (the operating system's CSPRNG) for every real
/// release; a seeded source only in tests, so a statistical test can run over a fixed range of seeds.
/// </summary>
public abstract class RandomSource
{
    public static RandomSource Secure { get; } = new SecureRandomSource();

    /// <summary>A uniform integer in [0, <paramref name="bound"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bound"/> is not positive.</exception>
    public BigInteger Below(BigInteger bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bound, BigInteger.Zero);
        if (bound.IsOne)
        {
            return BigInteger.Zero;
        }
        var bits = (int)(bound - 1).GetBitLength();
        var bytes = new byte[(bits + 7) / 8 + 1];
        var topMask = (byte)((1 << (bits % 8 == 0 ? 8 : bits % 8)) - 1);
        while (true)
        {
            Fill(bytes.AsSpan(0, bytes.Length - 1));
            bytes[^2] &= topMask;
            bytes[^1] = 0;
            var value = new BigInteger(bytes, isUnsigned: true);
            if (value < bound)
            {
                return value;
            }
        }
    }

    /// <summary>True with probability <paramref name="numerator"/> / <paramref name="denominator"/> (a fraction in [0, 1]).</summary>
    public bool Bernoulli(BigInteger numerator, BigInteger denominator) => Below(denominator) < numerator;

    protected abstract void Fill(Span<byte> destination);

    private sealed class SecureRandomSource : RandomSource
    {
        protected override void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
    }
}
