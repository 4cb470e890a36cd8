namespace Dragon.Homomorphic;

/// <summary>
/// A Shamir share of a secret over R_Q at the recipient's point x (1 to N, the party index plus one), for a
/// <see cref="Threshold"/>-of-N sharing, NTT domain: either what one dealer sends one recipient, p_i(x), or the sum of
/// what a recipient received from every dealer, its share of the collective secret s = sum s_i. Any
/// <see cref="Threshold"/> such shares of distinct points give s through <see cref="Thresholdizer.LagrangeAtZero"/>;
/// fewer give values uniform and independent of s.
/// </summary>
public sealed partial class ThresholdShare
{
    internal ThresholdShare(EncryptionParameters parameters, int point, int threshold, ulong[] value)
    {
        Parameters = parameters;
        Point = point;
        Threshold = threshold;
        Value = value;
        Shoup = Ring.PolyOps.ShoupPrecompute(parameters.Basis, value);
    }

    /// <summary>The parameters.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>The recipient's evaluation point, 1 to N.</summary>
    public int Point { get; }

    /// <summary>How many shares of distinct points reconstruct the secret.</summary>
    public int Threshold { get; }

    internal ulong[] Value { get; }

    internal ulong[] Shoup { get; }

    /// <summary>True when the parameters match, the point and threshold are in range and every coefficient is reduced.</summary>
    public bool IsValidFor(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Parameters.Equals(parameters) && Point >= 1 && Threshold >= 1 && Ring.PolyOps.IsReduced(parameters.Basis, Value);
    }
}
