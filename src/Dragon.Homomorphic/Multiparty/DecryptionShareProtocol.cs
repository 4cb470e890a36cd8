using System.Buffers;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// Collective decryption with smudging (the "DKeySwitch" protocol towards the zero key, i.e. threshold decryption,
/// of Mouchet, Troncoso-Pastoriza, Bossuat and Hubaux, "Multiparty Homomorphic Encryption from
/// Ring-Learning-with-Errors", PETS 2021). For an aggregate ciphertext (c0, c1) each party i returns
/// h_i = c1*s_i + e_i with e_i uniform in [-B_smudge, B_smudge]; then c0 + sum h_i = round(q*m/t) + noise decodes to m.
/// The constructor refuses party and ciphertext counts whose noise would break correctness
/// (<see cref="DecryptionBounds"/>), and combination verifies that every coefficient's residual lies within the
/// bound, so a missing or corrupted share raises <see cref="DecryptionVerificationException"/> instead of a wrong answer.
/// </summary>
public sealed class DecryptionShareProtocol
{
    private readonly UInt128 smudgingBound;
    private readonly ulong[] residualBoundLimbs;

    /// <summary>
    /// A protocol instance for an aggregate of <paramref name="ciphertextCount"/> public-key encryptions under a
    /// <paramref name="partyCount"/>-party key, smudged for the key-set target (<see cref="SmudgingTarget.KeySetLifetime"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    /// <exception cref="NoiseBudgetExceededException">Decryption would not be guaranteed correct for these counts.</exception>
    public DecryptionShareProtocol(EncryptionParameters parameters, int partyCount, int ciphertextCount)
        : this(parameters, partyCount, ciphertextCount, SmudgingTarget.KeySetLifetime)
    {
    }

    /// <summary>A protocol instance smudged for <paramref name="target"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or <paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    /// <exception cref="NoiseBudgetExceededException">Decryption would not be guaranteed correct for these counts.</exception>
    public DecryptionShareProtocol(EncryptionParameters parameters, int partyCount, int ciphertextCount, SmudgingTarget target)
        : this(parameters, partyCount, partyCount, ciphertextCount, target)
    {
    }

    /// <summary>
    /// A protocol instance for a <paramref name="threshold"/>-of-<paramref name="partyCount"/> key set: any
    /// <paramref name="threshold"/> parties decrypt with their <see cref="ThresholdShare"/>s.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or <paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1, or the threshold above the party count.</exception>
    /// <exception cref="NoiseBudgetExceededException">Decryption would not be guaranteed correct for these counts.</exception>
    public DecryptionShareProtocol(EncryptionParameters parameters, int partyCount, int threshold, int ciphertextCount, SmudgingTarget target)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(partyCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ciphertextCount, 1);
        Bounds = DecryptionBounds.Compute(parameters, partyCount, threshold, ciphertextCount, target);
        if (!Bounds.IsWithinLimit)
        {
            throw new NoiseBudgetExceededException(
                $"{partyCount} parties cannot decrypt a sum of {ciphertextCount} ciphertexts under {parameters}: the noise bound " +
                $"(2^{Bounds.TotalNoise.GetBitLength()}) exceeds q/(4t) (2^{Bounds.Limit.GetBitLength()}). At most " +
                $"{DecryptionBounds.MaxCiphertextCount(parameters, partyCount, target)} ciphertexts fit (smudging for 2^-{target.DistanceBits} over 2^{target.LifetimeBits} parts).");
        }

        Parameters = parameters;
        smudgingBound = (UInt128)Bounds.Smudging;
        residualBoundLimbs = RnsBasis.ToLimbs((Bounds.TotalNoise + 1) * parameters.PlainModulus, parameters.Basis.Limbs);
    }

    /// <summary>The parameters.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>The noise and smudging bounds in force.</summary>
    public DecryptionBounds Bounds { get; }

    /// <summary>The number of parties whose shares must be combined: N, or the threshold of a t-of-N key set.</summary>
    public int PartyCount => Bounds.ShareCount;

    /// <summary>A zero share (party count 0) covering <paramref name="partCount"/> ciphertexts.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is below 1 or above <see cref="CiphertextVector.MaxParts"/>.</exception>
    public DecryptionShare AllocateShare(int partCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partCount, CiphertextVector.MaxParts);
        var parts = new ulong[partCount][];
        for (int i = 0; i < partCount; i++)
        {
            parts[i] = new ulong[Parameters.Basis.CoefficientCount];
        }

        return new DecryptionShare(Parameters, parts, 0);
    }

    /// <summary>
    /// Writes the party's share c1*s_i + e_smudge for every part of the aggregate. Call only for a ciphertext checked
    /// to be the job's aggregate (see docs/crypto.md): shares of arbitrary ciphertexts leak information about s_i.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters, or the share's part count differs.</exception>
    public void GenShare(SecretKey secretShare, CiphertextVector aggregate, DecryptionShare share)
    {
        ArgumentNullException.ThrowIfNull(secretShare);
        ArgumentNullException.ThrowIfNull(aggregate);
        ArgumentNullException.ThrowIfNull(share);
        Parameters.EnsureSame(secretShare.Parameters, nameof(secretShare));
        GenShare(secretShare.NttValue, secretShare.NttShoup, aggregate, share);
    }

    /// <summary>
    /// Writes the share of the party at <paramref name="secretShare"/>'s point for decryption by the parties at
    /// <paramref name="subset"/> (exactly the threshold's number of points, its own among them): c1 * lambda * S + e_smudge,
    /// lambda its Lagrange coefficient for the subset. As with <see cref="GenShare(SecretKey, CiphertextVector, DecryptionShare)"/>,
    /// only for a checked aggregate.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters, the share's part count differs, or the subset is not
    /// the threshold's number of distinct points including the party's own.</exception>
    public void GenShare(ThresholdShare secretShare, IReadOnlyList<int> subset, CiphertextVector aggregate, DecryptionShare share)
    {
        ArgumentNullException.ThrowIfNull(secretShare);
        ArgumentNullException.ThrowIfNull(subset);
        Parameters.EnsureSame(secretShare.Parameters, nameof(secretShare));
        if (subset.Count != secretShare.Threshold || secretShare.Threshold != PartyCount)
        {
            throw new ArgumentException($"A {secretShare.Threshold}-of-N share decrypts with exactly {secretShare.Threshold} parties, in a protocol for as many.", nameof(subset));
        }

        RnsBasis basis = Parameters.Basis;
        ulong[] lambda = new Thresholdizer(Parameters).LagrangeAtZero(secretShare.Point, subset);
        var scaled = new ulong[basis.CoefficientCount];
        int n = basis.PolyDegree;
        for (int level = 0; level < basis.Count; level++)
        {
            Modulus modulus = basis.Moduli[level];
            ulong w = lambda[level];
            ulong wShoup = modulus.ShoupPrecompute(w);
            for (int j = level * n; j < (level + 1) * n; j++)
            {
                scaled[j] = modulus.MultiplyShoup(secretShare.Value[j], w, wShoup);
            }
        }

        try
        {
            GenShare(scaled, PolyOps.ShoupPrecompute(basis, scaled), aggregate, share);
        }
        finally
        {
            Array.Clear(scaled);
        }
    }

    private void GenShare(ulong[] secretNtt, ulong[] secretShoup, CiphertextVector aggregate, DecryptionShare share)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        ArgumentNullException.ThrowIfNull(share);
        Parameters.EnsureSame(aggregate.Parameters, nameof(aggregate));
        EnsureShape(share, aggregate.Parts.Count, nameof(share));

        RnsBasis basis = Parameters.Basis;
        int size = basis.CoefficientCount;
        ulong[] noise = ArrayPool<ulong>.Shared.Rent(size);
        try
        {
            Span<ulong> noiseSpan = noise.AsSpan(0, size);
            for (int p = 0; p < share.Parts.Length; p++)
            {
                noiseSpan.Clear();
                Sampler.AddUniformSmudging(basis, smudgingBound, noiseSpan);
                basis.ForwardNtt(noiseSpan);
                PolyOps.MultiplyShoupNtt(basis, aggregate.Parts[p].C1, secretNtt, secretShoup, share.Parts[p]);
                PolyOps.Add(basis, share.Parts[p], noiseSpan, share.Parts[p]);
            }

            share.PartyCount = 1;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(noise, clearArray: true);
        }
    }

    /// <summary>Allocating variant of <see cref="GenShare"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters.</exception>
    public DecryptionShare GenShareNew(SecretKey secretShare, CiphertextVector aggregate)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        DecryptionShare share = AllocateShare(aggregate.Parts.Count);
        GenShare(secretShare, aggregate, share);
        return share;
    }

    /// <summary>destination = a + b (shares of disjoint party sets; the party counts add up).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters, or part counts differ.</exception>
    public void AggregateShares(DecryptionShare a, DecryptionShare b, DecryptionShare destination)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(destination);
        EnsureShape(a, a.PartCount, nameof(a));
        EnsureShape(b, a.PartCount, nameof(b));
        EnsureShape(destination, a.PartCount, nameof(destination));
        int count = checked(a.PartyCount + b.PartyCount);
        for (int p = 0; p < a.PartCount; p++)
        {
            PolyOps.Add(Parameters.Basis, a.Parts[p], b.Parts[p], destination.Parts[p]);
        }

        destination.PartyCount = count;
    }

    /// <summary>Allocating variant: a new share holding the sum of all given shares.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="shares"/> or an element is null.</exception>
    /// <exception cref="ArgumentException">The sequence is empty, or an element belongs to other parameters or has another part count.</exception>
    public DecryptionShare AggregateSharesNew(IEnumerable<DecryptionShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        DecryptionShare? sum = null;
        foreach (DecryptionShare share in shares)
        {
            ArgumentNullException.ThrowIfNull(share, nameof(shares));
            sum ??= AllocateShare(share.PartCount);
            AggregateShares(sum, share, sum);
        }

        return sum ?? throw new ArgumentException("At least one share is needed.", nameof(shares));
    }

    /// <summary>
    /// Combines the aggregate with the sum of all parties' shares into plaintexts, verifying that the party count
    /// matches and that every coefficient's residual |[t*(c0 + sum h_i)]_q| lies within t * (B_total + 1).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters, or part counts differ.</exception>
    /// <exception cref="DecryptionVerificationException">A share is missing, extra or corrupted.</exception>
    public Plaintext[] Combine(CiphertextVector aggregate, DecryptionShare aggregatedShare)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        ArgumentNullException.ThrowIfNull(aggregatedShare);
        Parameters.EnsureSame(aggregate.Parameters, nameof(aggregate));
        EnsureShape(aggregatedShare, aggregate.Parts.Count, nameof(aggregatedShare));
        if (aggregatedShare.PartyCount != PartyCount)
        {
            throw new DecryptionVerificationException($"Expected the shares of {PartyCount} parties, got {aggregatedShare.PartyCount}.");
        }

        RnsBasis basis = Parameters.Basis;
        var phase = new ulong[basis.CoefficientCount];
        var plains = new Plaintext[aggregate.Parts.Count];
        for (int p = 0; p < plains.Length; p++)
        {
            PolyOps.Add(basis, aggregate.Parts[p].C0, aggregatedShare.Parts[p], phase);
            basis.InverseNtt(phase);
            int outliers = Parameters.Scaling.CountAboveBound(phase, residualBoundLimbs);
            if (outliers > 0)
            {
                throw new DecryptionVerificationException(
                    $"Part {p}: {outliers} of {basis.PolyDegree} coefficients exceed the noise bound; a share is missing, altered or for another ciphertext.");
            }

            plains[p] = new Plaintext(Parameters);
            Parameters.Scaling.Decode(phase, plains[p].Coefficients);
        }

        return plains;
    }

    /// <summary>Combines and decodes the whole vector (see <see cref="Combine"/>).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument belongs to other parameters, or part counts differ.</exception>
    /// <exception cref="DecryptionVerificationException">A share is missing, extra or corrupted.</exception>
    public long[] Decrypt(CiphertextVector aggregate, DecryptionShare aggregatedShare, IVectorEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        Parameters.EnsureSame(encoder.Parameters, nameof(encoder));
        Plaintext[] plains = Combine(aggregate, aggregatedShare);
        return CiphertextVector.Decode(encoder, plains, aggregate.Length);
    }

    private void EnsureShape(DecryptionShare share, int partCount, string paramName)
    {
        Parameters.EnsureSame(share.Parameters, paramName);
        if (share.PartCount != partCount)
        {
            throw new ArgumentException($"The share covers {share.PartCount} ciphertexts, not {partCount}.", paramName);
        }
    }
}
