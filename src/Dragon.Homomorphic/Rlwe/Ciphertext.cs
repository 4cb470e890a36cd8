using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// A BFV ciphertext (c0, c1) in the NTT domain, decrypting as c0 + c1*s = round(q*m/t) + v. A ciphertext made by
/// <see cref="Encryptor.EncryptSymmetric(Plaintext, Ciphertext)"/> remembers the 32-byte seed its c1 was expanded
/// from, and serializes as c0 plus that seed (about half the size); any evaluation produces an ordinary ciphertext.
/// </summary>
public sealed partial class Ciphertext
{
    private byte[]? seed;

    /// <summary>Allocates a zero ciphertext (an encryption of zero with zero noise) for the parameters.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    public Ciphertext(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        C0 = new ulong[parameters.Basis.CoefficientCount];
        C1 = new ulong[parameters.Basis.CoefficientCount];
    }

    /// <summary>The parameters the ciphertext belongs to.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>True when c1 is expanded from a seed and the ciphertext serializes in compressed form.</summary>
    public bool IsSeedCompressed => seed is not null;

    internal ulong[] C0 { get; }

    internal ulong[] C1 { get; }

    internal ReadOnlySpan<byte> Seed => seed;

    /// <summary>True when the parameters match and every coefficient is reduced.</summary>
    public bool IsValidFor(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Parameters.Equals(parameters)
            && PolyOps.IsReduced(parameters.Basis, C0)
            && PolyOps.IsReduced(parameters.Basis, C1);
    }

    /// <summary>A deep copy (keeping the seed, if any).</summary>
    public Ciphertext Clone()
    {
        var copy = new Ciphertext(Parameters);
        C0.CopyTo(copy.C0, 0);
        C1.CopyTo(copy.C1, 0);
        copy.seed = seed is null ? null : (byte[])seed.Clone();
        return copy;
    }

    /// <summary>A deep copy in ordinary (not seed-compressed) form, as every evaluation result is.</summary>
    internal Ciphertext CloneUncompressed()
    {
        Ciphertext copy = Clone();
        copy.seed = null;
        return copy;
    }

    internal void SetSeed(byte[]? value) => seed = value;
}
