namespace Dragon.Contracts.Models;

/// <summary>
/// The distribution functions a model table needs: the standard normal and Student's t, through the regularized
/// incomplete gamma and beta functions (Press et al., Numerical Recipes, 3rd ed., 6.2 and 6.4) and the Lanczos log-gamma.
/// Accurate to about 1e-14 over the range a model table uses; tests compare them with tabulated values.
/// </summary>
public static class Distributions
{
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>log Gamma(x) for x &gt; 0 (Lanczos, g = 7).</summary>
    public static double LogGamma(double x)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(x);
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }
        x -= 1;
        var sum = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++)
        {
            sum += Lanczos[i] / (x + i);
        }
        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    public static double NormalDensity(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    /// <summary>P(Z &lt;= x) for a standard normal Z.</summary>
    public static double NormalCdf(double x) => x < 0 ? NormalUpperTail(-x) : 1 - NormalUpperTail(x);

    /// <summary>P(Z &gt; x) for x &gt;= 0, without the cancellation of 1 - P(Z &lt;= x): Q(1/2, x^2/2) / 2.</summary>
    public static double NormalUpperTail(double x) => x < 0 ? 1 - NormalUpperTail(-x) : 0.5 * GammaQ(0.5, 0.5 * x * x);

    /// <summary>The two-sided p-value of a z statistic, P(|Z| &gt;= |z|).</summary>
    public static double NormalTwoSided(double z) => double.IsNaN(z) ? double.NaN : 2 * NormalUpperTail(Math.Abs(z));

    /// <summary>The two-sided p-value of a t statistic on <paramref name="degreesOfFreedom"/>: I_{df/(df+t^2)}(df/2, 1/2).</summary>
    public static double StudentTwoSided(double t, double degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(degreesOfFreedom);
        return double.IsNaN(t) ? double.NaN : RegularizedBeta(degreesOfFreedom / (degreesOfFreedom + (t * t)), degreesOfFreedom / 2, 0.5);
    }

    /// <summary>The x with P(Z &lt;= x) = p.</summary>
    public static double NormalQuantile(double p) => Quantile(p, NormalCdf);

    /// <summary>The x with P(T &lt;= x) = p for Student's t on <paramref name="degreesOfFreedom"/>.</summary>
    public static double StudentQuantile(double p, double degreesOfFreedom) =>
        Quantile(p, x => x >= 0 ? 1 - (StudentTwoSided(x, degreesOfFreedom) / 2) : StudentTwoSided(x, degreesOfFreedom) / 2);

    /// <summary>The root of cdf(x) = p by bisection over [-1e3, 1e3], to the last bits of a double.</summary>
    private static double Quantile(double p, Func<double, double> cdf)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(p, 1);
        double low = -1e3, high = 1e3;
        for (var i = 0; i < 200 && high - low > 1e-15 * Math.Max(1, Math.Abs(low)); i++)
        {
            var middle = (low + high) / 2;
            (low, high) = cdf(middle) < p ? (middle, high) : (low, middle);
        }
        return (low + high) / 2;
    }

    /// <summary>The regularized upper incomplete gamma function Q(a, x): series below a + 1, continued fraction above.</summary>
    public static double GammaQ(double a, double x)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(a);
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        if (x == 0)
        {
            return 1;
        }
        var logPrefix = (a * Math.Log(x)) - x - LogGamma(a);
        if (x < a + 1)
        {
            double term = 1 / a, sum = term;
            for (var n = 1; n < 1000 && Math.Abs(term) > Math.Abs(sum) * 1e-17; n++)
            {
                term *= x / (a + n);
                sum += term;
            }
            return 1 - (sum * Math.Exp(logPrefix));
        }
        // Lentz's method for the continued fraction of Q.
        const double tiny = 1e-300;
        var b = x + 1 - a;
        var c = 1 / tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < 1000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = b + (an / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }
        return Math.Exp(logPrefix) * h;
    }

    /// <summary>The regularized incomplete beta function I_x(a, b), by its continued fraction on the side where it converges fast.</summary>
    public static double RegularizedBeta(double x, double a, double b)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(a);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(b);
        if (x <= 0)
        {
            return 0;
        }
        if (x >= 1)
        {
            return 1;
        }
        var logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? Math.Exp(logFront) * BetaFraction(x, a, b) / a
            : 1 - (Math.Exp(logFront) * BetaFraction(1 - x, b, a) / b);
    }

    private static double BetaFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        var c = 1.0;
        var d = 1 - ((a + b) * x / (a + 1));
        d = 1 / (Math.Abs(d) < tiny ? tiny : d);
        var h = d;
        for (var m = 1; m < 10_000; m++)
        {
            var m2 = 2 * m;
            var even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + (even * d);
            d = 1 / (Math.Abs(d) < tiny ? tiny : d);
            c = 1 + (even / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            h *= d * c;
            var odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + (odd * d);
            d = 1 / (Math.Abs(d) < tiny ? tiny : d);
            c = 1 + (odd / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }
        return h;
    }
}
