namespace Dragon.Homomorphic;

/// <summary>
/// A party's public-key share p_i = -a*s_i + e_i (NTT domain), or an aggregate of several shares;
/// <see cref="PartyCount"/> says how many.
/// </summary>
public sealed partial class PublicKeyGenShare
{
    internal PublicKeyGenShare(EncryptionParameters parameters, ulong[] value, int partyCount)
    {
        Parameters = parameters;
        Value = value;
        PartyCount = partyCount;
    }

    /// <summary>The parameters.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>How many parties' shares this share sums (0 for a freshly allocated share).</summary>
    public int PartyCount { get; internal set; }

    internal ulong[] Value { get; }

    /// <summary>True when the parameters match and every coefficient is reduced.</summary>
    public bool IsValidFor(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Parameters.Equals(parameters) && PartyCount >= 0 && Ring.PolyOps.IsReduced(parameters.Basis, Value);
    }
}
