namespace Dragon.Homomorphic;

/// <summary>
/// A public key (p0, p1) = (-a*s + e, a) in the NTT domain. For a collective key built by
/// <see cref="PublicKeyGenProtocol"/>, s and e are sums over <see cref="PartyCount"/> parties.
/// </summary>
public sealed partial class PublicKey
{
    private ulong[]? p0Shoup;
    private ulong[]? p1Shoup;

    internal PublicKey(EncryptionParameters parameters, ulong[] p0, ulong[] p1, int partyCount)
    {
        Parameters = parameters;
        P0 = p0;
        P1 = p1;
        PartyCount = partyCount;
    }

    /// <summary>The parameters the key belongs to.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>How many secret shares the key's secret is the sum of (1 for an ordinary key).</summary>
    public int PartyCount { get; }

    internal ulong[] P0 { get; }

    internal ulong[] P1 { get; }

    internal ulong[] P0Shoup => p0Shoup ??= Ring.PolyOps.ShoupPrecompute(Parameters.Basis, P0);

    internal ulong[] P1Shoup => p1Shoup ??= Ring.PolyOps.ShoupPrecompute(Parameters.Basis, P1);

    /// <summary>True when the parameters match and every coefficient is reduced.</summary>
    public bool IsValidFor(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Parameters.Equals(parameters)
            && PartyCount >= 1
            && Ring.PolyOps.IsReduced(parameters.Basis, P0)
            && Ring.PolyOps.IsReduced(parameters.Basis, P1);
    }
}
