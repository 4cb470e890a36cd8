namespace Dragon.Homomorphic;

/// <summary>
/// The common random polynomial a of the collective public-key generation, expanded with SHAKE256 from a public
/// 32-byte seed, so every party derives the same a without trusting whoever chose the seed to have chosen a well.
/// </summary>
public sealed class PublicKeyGenCrp
{
    internal PublicKeyGenCrp(EncryptionParameters parameters, byte[] seed, ulong[] value)
    {
        Parameters = parameters;
        this.seed = seed;
        Value = value;
    }

    private readonly byte[] seed;

    /// <summary>The parameters.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>The public seed the polynomial was expanded from.</summary>
    public ReadOnlySpan<byte> Seed => seed;

    internal ulong[] Value { get; }
}
