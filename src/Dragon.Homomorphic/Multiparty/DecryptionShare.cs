namespace Dragon.Homomorphic;

/// <summary>
/// A party's decryption share for every part of an aggregate <see cref="CiphertextVector"/>: c1*s_i + e_smudge
/// per part (NTT domain), or the sum of several parties' shares; <see cref="PartyCount"/> says how many.
/// </summary>
public sealed partial class DecryptionShare
{
    internal DecryptionShare(EncryptionParameters parameters, ulong[][] parts, int partyCount)
    {
        Parameters = parameters;
        Parts = parts;
        PartyCount = partyCount;
    }

    /// <summary>The parameters.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>How many parties' shares this share sums (0 for a freshly allocated share).</summary>
    public int PartyCount { get; internal set; }

    /// <summary>Number of ciphertexts (parts of the aggregate vector) the share covers.</summary>
    public int PartCount => Parts.Length;

    internal ulong[][] Parts { get; }

    /// <summary>True when the parameters match and every coefficient is reduced.</summary>
    public bool IsValidFor(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Parameters.Equals(parameters) && PartyCount >= 0 && Array.TrueForAll(Parts, p => Ring.PolyOps.IsReduced(parameters.Basis, p));
    }
}
