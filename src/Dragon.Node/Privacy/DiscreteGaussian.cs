using System.Numerics;

namespace Dragon.Node.Privacy;

/// <summary>
/// Exact sampling of the discrete Gaussian N_Z(0, sigma^2), P(x) proportional to exp(-x^2 / (2 sigma^2)) on the
/// integers, for a rational variance, with integer arithmetic only (no floating point, whose rounding leaks in noise
/// samplers: Mironov, CCS 2012). The algorithms are those of Canonne, Kamath and Steinke, "The Discrete Gaussian for
/// Differential Privacy" (NeurIPS 2020), Algorithms 1 to 3: Bernoulli(exp(-gamma)) by a series, the discrete Laplace
/// by rejection, the discrete Gaussian by rejection from it.
/// </summary>
public sealed class DiscreteGaussian
{
    private readonly RandomSource _random;

    /// <param name="varianceNumerator">sigma^2 = <paramref name="varianceNumerator"/> / <paramref name="varianceDenominator"/>, positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">The variance is not positive.</exception>
    public DiscreteGaussian(BigInteger varianceNumerator, BigInteger varianceDenominator, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(varianceNumerator, BigInteger.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(varianceDenominator, BigInteger.Zero);
        ArgumentNullException.ThrowIfNull(random);
        (VarianceNumerator, VarianceDenominator, _random) = (varianceNumerator, varianceDenominator, random);
        // t = floor(sigma) + 1, from the integer square root of floor(sigma^2): the largest r with r^2 <= sigma^2.
        Scale = IntegerSquareRoot(varianceNumerator / varianceDenominator) + 1;
    }

    public BigInteger VarianceNumerator { get; }

    public BigInteger VarianceDenominator { get; }

    /// <summary>The discrete Laplace scale t = floor(sigma) + 1 the rejection samples from.</summary>
    public BigInteger Scale { get; }

    /// <summary>One sample.</summary>
    public long Next()
    {
        var t = Scale;
        while (true)
        {
            var y = DiscreteLaplace(t);
            // Accept with probability exp(-(|y| - sigma^2/t)^2 / (2 sigma^2)), as a fraction:
            // ((|y| t d - n)^2) / (2 n d t^2), with sigma^2 = n/d.
            var n = VarianceNumerator;
            var d = VarianceDenominator;
            var difference = (BigInteger.Abs(y) * t * d) - n;
            if (BernoulliExp(difference * difference, 2 * n * d * t * t))
            {
                return (long)y;
            }
        }
    }

    /// <summary>Fills <paramref name="destination"/> with independent samples.</summary>
    public void Fill(Span<long> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = Next();
        }
    }

    /// <summary>The discrete Laplace with scale <paramref name="t"/>: P(x) proportional to exp(-|x| / t).</summary>
    private BigInteger DiscreteLaplace(BigInteger t)
    {
        while (true)
        {
            var u = _random.Below(t);
            if (!BernoulliExp(u, t))
            {
                continue;
            }
            var v = BigInteger.Zero;
            while (BernoulliExp(BigInteger.One, BigInteger.One))
            {
                v++;
            }
            var x = u + (t * v);
            var negative = _random.Below(2).IsOne;
            if (negative && x.IsZero)
            {
                continue;
            }
            return negative ? -x : x;
        }
    }

    /// <summary>True with probability exp(-n/d), for n/d >= 0.</summary>
    private bool BernoulliExp(BigInteger n, BigInteger d)
    {
        while (n > d)
        {
            if (!BernoulliExpAtMostOne(BigInteger.One, BigInteger.One))
            {
                return false;
            }
            n -= d;
        }
        return BernoulliExpAtMostOne(n, d);
    }

    /// <summary>True with probability exp(-gamma) for gamma = n/d in [0, 1]: the first k with no Bernoulli(gamma / k) success is odd.</summary>
    private bool BernoulliExpAtMostOne(BigInteger n, BigInteger d)
    {
        var k = BigInteger.One;
        while (_random.Bernoulli(n, d * k))
        {
            k++;
        }
        return !k.IsEven;
    }

    private static BigInteger IntegerSquareRoot(BigInteger value)
    {
        if (value < 2)
        {
            return value;
        }
        var x = (BigInteger)Math.Sqrt((double)value);
        while (x * x > value)
        {
            x--;
        }
        while ((x + 1) * (x + 1) <= value)
        {
            x++;
        }
        return x;
    }
}
