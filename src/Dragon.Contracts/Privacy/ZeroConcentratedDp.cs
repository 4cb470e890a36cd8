namespace Dragon.Contracts.Privacy;

/// <summary>
/// Zero-concentrated differential privacy (zCDP; Bun and Steinke, "Concentrated Differential Privacy: Simplifications,
/// Extensions, and Lower Bounds", TCC 2016) for Gaussian-type noise: the budget rho of a release, its conversion to
/// (epsilon, delta) for display, and the distributed discrete Gaussian of Kairouz, Liu and Steinke ("The Distributed
/// Discrete Gaussian Mechanism for Federated Learning with Secure Aggregation", ICML 2021), where each of n nodes adds
/// N_Z(0, sigma^2 / n) and only the sum is ever decrypted. zCDP composes by adding rho.
/// </summary>
public static class ZeroConcentratedDp
{
    /// <summary>rho = Delta_2^2 / (2 sigma^2): the continuous (and, by Canonne et al. 2020, the discrete) Gaussian mechanism.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A sensitivity is negative or the variance not positive.</exception>
    public static double GaussianRho(double l2Sensitivity, double variance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(l2Sensitivity);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(variance, 0);
        return l2Sensitivity * l2Sensitivity / (2 * variance);
    }

    /// <summary>The variance sigma^2 = Delta_2^2 / (2 rho) that gives a release of budget rho.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The sensitivity is negative or rho not positive.</exception>
    public static double GaussianVariance(double l2Sensitivity, double rho)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(l2Sensitivity);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(rho, 0);
        return l2Sensitivity * l2Sensitivity / (2 * rho);
    }

    /// <summary>
    /// The budget of the sum of <paramref name="nodes"/> independent N_Z(0, sigma_i^2) with sigma_i^2 =
    /// <paramref name="nodeVariance"/>, for a query of dimension <paramref name="dimension"/> with the given sensitivities
    /// (Kairouz, Liu and Steinke 2021, Theorem 1): rho = min(Delta_2^2 / (2 n sigma_i^2) + tau d,
    /// (Delta_1 / sqrt(n sigma_i^2) + tau sqrt(d))^2 / 2), tau = 10 sum_{k=1}^{n-1} exp(-2 pi^2 sigma_i^2 k / (k + 1)).
    /// The tau terms pay for the sum of discrete Gaussians not being exactly one; they vanish for sigma_i^2 of a few units.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double DistributedDiscreteGaussianRho(double l1Sensitivity, double l2Sensitivity, int dimension, int nodes, double nodeVariance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(l1Sensitivity);
        ArgumentOutOfRangeException.ThrowIfNegative(l2Sensitivity);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(nodeVariance, 0);
        var tau = 10 * Enumerable.Range(1, nodes - 1).Sum(k => Math.Exp(-2 * Math.PI * Math.PI * nodeVariance * k / (k + 1)));
        var total = nodes * nodeVariance;
        var viaL2 = (l2Sensitivity * l2Sensitivity / (2 * total)) + (tau * dimension);
        var viaL1 = l1Sensitivity / Math.Sqrt(total) + (tau * Math.Sqrt(dimension));
        return Math.Min(viaL2, viaL1 * viaL1 / 2);
    }

    /// <summary>
    /// The epsilon of (epsilon, delta)-DP that rho-zCDP implies: epsilon = rho + 2 sqrt(rho ln(1/delta)) (Bun and Steinke
    /// 2016, Proposition 1.3), for showing a budget to people used to epsilon.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">rho is negative or delta not in (0, 1).</exception>
    public static double Epsilon(double rho, double delta)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rho);
        if (delta is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be in (0, 1).");
        }
        return rho + (2 * Math.Sqrt(rho * Math.Log(1 / delta)));
    }

    /// <summary>The largest rho whose <see cref="Epsilon"/> at <paramref name="delta"/> is at most <paramref name="epsilon"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">epsilon is negative or delta not in (0, 1).</exception>
    public static double RhoForEpsilon(double epsilon, double delta)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        if (delta is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be in (0, 1).");
        }
        // epsilon = (sqrt(rho) + sqrt(L))^2 - L with L = ln(1/delta), so sqrt(rho) = sqrt(epsilon + L) - sqrt(L).
        var l = Math.Log(1 / delta);
        var root = Math.Sqrt(epsilon + l) - Math.Sqrt(l);
        return root * root;
    }
}
