using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// A secret key s with uniform ternary coefficients; in the multiparty setting, one node's secret share s_i.
/// It is never written by the wire formats; only <see cref="SecretKeyFile"/> stores it, for the node's own use.
/// </summary>
public sealed class SecretKey
{
    internal SecretKey(EncryptionParameters parameters, sbyte[] coefficients)
    {
        Parameters = parameters;
        Coefficients = coefficients;
        NttValue = new ulong[parameters.Basis.CoefficientCount];
        long[] wide = Array.ConvertAll(coefficients, c => (long)c);
        PolyOps.LiftSigned(parameters.Basis, wide, NttValue);
        parameters.Basis.ForwardNtt(NttValue);
        NttShoup = PolyOps.ShoupPrecompute(parameters.Basis, NttValue);
    }

    /// <summary>The parameters the key belongs to.</summary>
    public EncryptionParameters Parameters { get; }

    internal sbyte[] Coefficients { get; }

    internal ulong[] NttValue { get; }

    internal ulong[] NttShoup { get; }

    /// <summary>True when the key was made for these parameters.</summary>
    public bool IsValidFor(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Parameters.Equals(parameters);
    }

    internal static SecretKey Sample(EncryptionParameters parameters)
    {
        var wide = new long[parameters.PolyModulusDegree];
        Sampler.Ternary(wide);
        sbyte[] coefficients = Array.ConvertAll(wide, c => (sbyte)c);
        Array.Clear(wide);
        return new SecretKey(parameters, coefficients);
    }
}
