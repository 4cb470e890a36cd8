using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// Collective public-key generation (the "EncKeyGen" protocol of Mouchet, Troncoso-Pastoriza, Bossuat and Hubaux,
/// "Multiparty Homomorphic Encryption from Ring-Learning-with-Errors", PETS 2021). Every party i holds a secret
/// share s_i (an ordinary <see cref="SecretKey"/>); from a common random polynomial a it publishes
/// p_i = -a*s_i + e_i; the sum p = sum p_i gives the public key (p, a) for the secret s = sum s_i, which nobody holds.
/// </summary>
public sealed class PublicKeyGenProtocol
{
    /// <summary>Domain separator of the SHAKE256 expansion of the common random polynomial.</summary>
    internal const byte CrpDomain = 1;

    /// <summary>A protocol instance for the parameters.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    public PublicKeyGenProtocol(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
    }

    /// <summary>The parameters.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>Expands the common random polynomial a from a public 32-byte seed (SHAKE256, rejection sampling).</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes long.</exception>
    public PublicKeyGenCrp SampleCrp(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedExpander.SeedLength)
        {
            throw new ArgumentException($"The seed must be {SeedExpander.SeedLength} bytes.", nameof(seed));
        }

        var value = new ulong[Parameters.Basis.CoefficientCount];
        SeedExpander.Expand(Parameters.Basis, SeedExpansion.Shake256, seed, CrpDomain, value);
        return new PublicKeyGenCrp(Parameters, seed.ToArray(), value);
    }

    /// <summary>A zero share (party count 0), to receive <see cref="GenShare"/> or <see cref="AggregateShares(PublicKeyGenShare, PublicKeyGenShare, PublicKeyGenShare)"/>.</summary>
    public PublicKeyGenShare AllocateShare() => new(Parameters, new ulong[Parameters.Basis.CoefficientCount], 0);

    /// <summary>Writes the party's share -a*s_i + e_i (fresh centred binomial error) into <paramref name="share"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters.</exception>
    public void GenShare(SecretKey secretShare, PublicKeyGenCrp crp, PublicKeyGenShare share)
    {
        ArgumentNullException.ThrowIfNull(secretShare);
        ArgumentNullException.ThrowIfNull(crp);
        ArgumentNullException.ThrowIfNull(share);
        Parameters.EnsureSame(secretShare.Parameters, nameof(secretShare));
        Parameters.EnsureSame(crp.Parameters, nameof(crp));
        Parameters.EnsureSame(share.Parameters, nameof(share));
        ComputeShare(Parameters, secretShare, crp.Value, share.Value);
        share.PartyCount = 1;
    }

    /// <summary>destination = a + b (shares of disjoint party sets; the party counts add up).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters.</exception>
    public void AggregateShares(PublicKeyGenShare a, PublicKeyGenShare b, PublicKeyGenShare destination)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(destination);
        Parameters.EnsureSame(a.Parameters, nameof(a));
        Parameters.EnsureSame(b.Parameters, nameof(b));
        Parameters.EnsureSame(destination.Parameters, nameof(destination));
        int count = checked(a.PartyCount + b.PartyCount);
        PolyOps.Add(Parameters.Basis, a.Value, b.Value, destination.Value);
        destination.PartyCount = count;
    }

    /// <summary>Allocating variant: a new share holding the sum of all given shares.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="shares"/> or an element is null.</exception>
    /// <exception cref="ArgumentException">An element belongs to other parameters.</exception>
    public PublicKeyGenShare AggregateSharesNew(IEnumerable<PublicKeyGenShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        PublicKeyGenShare sum = AllocateShare();
        foreach (PublicKeyGenShare share in shares)
        {
            ArgumentNullException.ThrowIfNull(share, nameof(shares));
            AggregateShares(sum, share, sum);
        }

        return sum;
    }

    /// <summary>The collective public key (sum p_i, a) from the aggregate of all parties' shares.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters, or the share aggregates no party.</exception>
    public PublicKey GenPublicKeyNew(PublicKeyGenShare aggregatedShare, PublicKeyGenCrp crp)
    {
        ArgumentNullException.ThrowIfNull(aggregatedShare);
        ArgumentNullException.ThrowIfNull(crp);
        Parameters.EnsureSame(aggregatedShare.Parameters, nameof(aggregatedShare));
        Parameters.EnsureSame(crp.Parameters, nameof(crp));
        if (aggregatedShare.PartyCount < 1)
        {
            throw new ArgumentException("The aggregated share holds no party's share.", nameof(aggregatedShare));
        }

        return new PublicKey(Parameters, (ulong[])aggregatedShare.Value.Clone(), (ulong[])crp.Value.Clone(), aggregatedShare.PartyCount);
    }

    /// <summary>destination = -a*s + e in the NTT domain, with fresh error e.</summary>
    internal static void ComputeShare(EncryptionParameters parameters, SecretKey secretKey, ReadOnlySpan<ulong> a, Span<ulong> destination)
    {
        RnsBasis basis = parameters.Basis;
        var error = new long[basis.PolyDegree];
        var errorPoly = new ulong[basis.CoefficientCount];
        Sampler.CenteredBinomial(error);
        PolyOps.LiftSigned(basis, error, errorPoly);
        Array.Clear(error);
        basis.ForwardNtt(errorPoly);
        PolyOps.MultiplyShoupNtt(basis, a, secretKey.NttValue, secretKey.NttShoup, destination);
        PolyOps.Sub(basis, errorPoly, destination, destination);
        Array.Clear(errorPoly);
    }
}
