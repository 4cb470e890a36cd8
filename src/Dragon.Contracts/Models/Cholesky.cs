namespace Dragon.Contracts.Models;

/// <summary>The Cholesky factorization A = L L' of a symmetric positive definite matrix, to solve and invert it.</summary>
public static class Cholesky
{
    /// <summary>
    /// Pivots below this fraction of the largest diagonal entry count as zero: the matrix is singular to the precision
    /// of the fixed-point sums it was read from.
    /// </summary>
    public const double RelativePivot = 1e-10;

    /// <summary>L, lower triangular; null when A is not positive definite to <see cref="RelativePivot"/>.</summary>
    public static double[,]? Factor(double[,] a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var n = a.GetLength(0);
        var largest = 0.0;
        for (var i = 0; i < n; i++)
        {
            largest = Math.Max(largest, Math.Abs(a[i, i]));
        }
        var l = new double[n, n];
        for (var j = 0; j < n; j++)
        {
            var pivot = a[j, j];
            for (var k = 0; k < j; k++)
            {
                pivot -= l[j, k] * l[j, k];
            }
            if (!(pivot > RelativePivot * largest) || !double.IsFinite(pivot))
            {
                return null;
            }
            l[j, j] = Math.Sqrt(pivot);
            for (var i = j + 1; i < n; i++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }
                l[i, j] = sum / l[j, j];
            }
        }
        return l;
    }

    /// <summary>x with L L' x = b.</summary>
    public static double[] Solve(double[,] l, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(b);
        var n = b.Count;
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[i, k] * y[k];
            }
            y[i] = sum / l[i, i];
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[k, i] * x[k];
            }
            x[i] = sum / l[i, i];
        }
        return x;
    }

    /// <summary>The diagonal of A^-1 from its factor (the variances of the coefficients, up to the dispersion).</summary>
    public static double[] InverseDiagonal(double[,] l)
    {
        var inverse = Inverse(l);
        return [.. Enumerable.Range(0, inverse.GetLength(0)).Select(j => inverse[j, j])];
    }

    /// <summary>A^-1 from its factor, column by column.</summary>
    public static double[,] Inverse(double[,] l)
    {
        ArgumentNullException.ThrowIfNull(l);
        var n = l.GetLength(0);
        var inverse = new double[n, n];
        for (var j = 0; j < n; j++)
        {
            var unit = new double[n];
            unit[j] = 1;
            var column = Solve(l, unit);
            for (var i = 0; i < n; i++)
            {
                inverse[i, j] = column[i];
            }
        }
        return inverse;
    }
}
