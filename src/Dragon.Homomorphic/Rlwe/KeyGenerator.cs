using System.Security.Cryptography;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// Generates a fresh secret key (uniform ternary, from <see cref="RandomNumberGenerator"/>) and, for the
/// single-key setting, its public key. In the multiparty setting each node's <see cref="SecretKey"/> is its
/// secret share, and the public key comes from <see cref="PublicKeyGenProtocol"/> instead.
/// </summary>
public sealed class KeyGenerator
{
    /// <summary>Samples a fresh secret key.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    public KeyGenerator(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        SecretKey = SecretKey.Sample(parameters);
    }

    /// <summary>Uses an existing secret key.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key belongs to other parameters.</exception>
    public KeyGenerator(EncryptionParameters parameters, SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(secretKey);
        parameters.EnsureSame(secretKey.Parameters, nameof(secretKey));
        Parameters = parameters;
        SecretKey = secretKey;
    }

    /// <summary>The parameters.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>The secret key (a node's secret share in the multiparty setting).</summary>
    public SecretKey SecretKey { get; }

    /// <summary>A public key (-a*s + e, a) with a uniform a from a fresh random seed.</summary>
    public PublicKey CreatePublicKey()
    {
        RnsBasis basis = Parameters.Basis;
        var a = new ulong[basis.CoefficientCount];
        SeedExpander.Expand(basis, SeedExpansion.Shake256, RandomNumberGenerator.GetBytes(SeedExpander.SeedLength), PublicKeyGenProtocol.CrpDomain, a);
        var p0 = new ulong[basis.CoefficientCount];
        PublicKeyGenProtocol.ComputeShare(Parameters, SecretKey, a, p0);
        return new PublicKey(Parameters, p0, a, 1);
    }
}
