namespace Dragon.Homomorphic.Tests.Multiparty;

/// <summary>
/// t-of-N key sets at bfv-8192 under the key-set smudging target: every party deals Shamir shares of its secret, each
/// sums what it received, and any t parties decrypt the sum of everyone's vectors with their Lagrange-weighted shares;
/// t - 1 parties, pretending the threshold were theirs, fail the residual check instead of reading anything.
/// </summary>
public sealed class ThresholdTests
{
    private static readonly EncryptionParameters Parameters = MultipartyContext.ParametersForLogN(13);

    /// <summary>Subsets decrypted per case: all of them up to this many, otherwise this many drawn at random.</summary>
    private const int MaxSubsets = 30;

    [Theory]
    [InlineData(2, 3)]
    [InlineData(3, 5)]
    [InlineData(5, 7)]
    [InlineData(7, 16)]
    [InlineData(11, 32)]
    public void EverySubsetOfThresholdSize_DecryptsTheSumOfEveryPartysVector(int threshold, int parties)
    {
        var random = new Random((threshold * 100) + parties);
        MultipartyContext context = MultipartyContext.For(Parameters, parties);
        ThresholdShare[] shares = Shares(context, threshold);
        (long[][] inputs, CiphertextVector aggregate) = context.Contribute(random, 300, context.Encoder.MaxValue / parties, parties);
        var protocol = new DecryptionShareProtocol(Parameters, parties, threshold, parties, SmudgingTarget.KeySetLifetime);

        List<int[]> subsets = Subsets(parties, threshold, random);
        foreach (int[] subset in subsets)
        {
            DecryptionShare combined = protocol.AggregateSharesNew(subset.Select(point => DecryptionShare.ReadFrom(Share(protocol, shares[point - 1], subset, aggregate).ToArray(), Parameters)));
            Assert.Equal(MultipartyContext.Sum(inputs), protocol.Decrypt(aggregate, combined, context.Encoder));
        }

        Assert.Equal(Math.Min(MaxSubsets, Binomial(parties, threshold)), subsets.Count);
        Assert.Equal(threshold, protocol.Bounds.ShareCount);
        Assert.True(protocol.Bounds.IsWithinLimit);
        // t shares add t smudgings, not N: a threshold key set sums at least as many ciphertexts as the N-of-N one.
        Assert.Equal(protocol.Bounds.AggregateNoise + (threshold * protocol.Bounds.Smudging), protocol.Bounds.TotalNoise);
        Assert.True(DecryptionBounds.MaxCiphertextCount(Parameters, parties, threshold, SmudgingTarget.KeySetLifetime) >= DecryptionBounds.MaxCiphertextCount(Parameters, parties));
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(3, 5)]
    [InlineData(5, 7)]
    public void FewerThanThresholdParties_FailTheResidualCheck_WhicheverOfThemTry(int threshold, int parties)
    {
        var random = new Random(parties);
        MultipartyContext context = MultipartyContext.For(Parameters, parties);
        ThresholdShare[] shares = Shares(context, threshold);
        (_, CiphertextVector aggregate) = context.Contribute(random, 50, 1000, parties);
        var pretending = new DecryptionShareProtocol(Parameters, parties, threshold - 1, parties, SmudgingTarget.KeySetLifetime);

        foreach (int[] subset in Subsets(parties, threshold - 1, random).Take(10))
        {
            DecryptionShare combined = pretending.AggregateSharesNew(subset.Select(point =>
                Share(pretending, new ThresholdShare(Parameters, point, threshold - 1, shares[point - 1].Value), subset, aggregate)));
            Assert.Throws<DecryptionVerificationException>(() => pretending.Combine(aggregate, combined));
        }
    }

    [Fact]
    public void DealtShares_OfAnyThresholdPoints_ReconstructTheDealersSecret_AndFewerDoNot()
    {
        MultipartyContext context = MultipartyContext.For(Parameters, 5);
        var thresholdizer = new Thresholdizer(Parameters);
        ThresholdShare[] dealt = thresholdizer.Deal(context.SecretShares[0], 3, 5);

        ulong[] Reconstruct(int[] points) => Weighted(thresholdizer, points.Select(p => dealt[p - 1]).ToArray(), points);

        Assert.Equal(context.SecretShares[0].NttValue, Reconstruct([1, 2, 3]));
        Assert.Equal(context.SecretShares[0].NttValue, Reconstruct([2, 4, 5]));
        Assert.NotEqual(context.SecretShares[0].NttValue, Reconstruct([2, 4]));
        Assert.All(dealt, share => Assert.True(share.IsValidFor(Parameters)));
    }

    [Fact]
    public void Deal_AndProtocol_RefuseThresholdsOutsideOneToN_AndSubsetsOfAnotherSize()
    {
        MultipartyContext context = MultipartyContext.For(Parameters, 3);
        var thresholdizer = new Thresholdizer(Parameters);
        ThresholdShare[] shares = Shares(context, 2);
        (_, CiphertextVector aggregate) = context.Contribute(new Random(3), 10, 10, 3);
        var protocol = new DecryptionShareProtocol(Parameters, 3, 2, 3, SmudgingTarget.KeySetLifetime);

        Assert.Throws<ArgumentOutOfRangeException>(() => thresholdizer.Deal(context.SecretShares[0], 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => thresholdizer.Deal(context.SecretShares[0], 4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecryptionShareProtocol(Parameters, 3, 4, 3, SmudgingTarget.KeySetLifetime));
        Assert.Throws<ArgumentException>(() => Share(protocol, shares[0], [1, 2, 3], aggregate));
        Assert.Throws<ArgumentException>(() => Share(protocol, shares[0], [2, 3], aggregate));
        Assert.Throws<ArgumentException>(() => Share(protocol, shares[0], [1, 1], aggregate));
    }

    [Fact]
    public void ThresholdShare_RoundTrips_AndMalformedBytesAreRefused()
    {
        MultipartyContext context = MultipartyContext.For(Parameters, 3);
        ThresholdShare share = new Thresholdizer(Parameters).Deal(context.SecretShares[1], 2, 3)[2];
        byte[] bytes = share.ToArray();

        ThresholdShare read = ThresholdShare.ReadFrom(bytes, Parameters);

        Assert.Equal((3, 2), (read.Point, read.Threshold));
        Assert.Equal(share.Value, read.Value);
        Assert.Throws<InvalidFormatException>(() => ThresholdShare.ReadFrom(bytes.AsSpan(0, bytes.Length - 1), Parameters));
        Assert.Throws<InvalidFormatException>(() => ThresholdShare.ReadFrom(bytes, MultipartyContext.ParametersForLogN(14)));
        byte[] pointZero = (byte[])bytes.Clone();
        pointZero[44] = 0;
        Assert.Throws<InvalidFormatException>(() => ThresholdShare.ReadFrom(pointZero, Parameters));
        byte[] overModulus = (byte[])bytes.Clone();
        overModulus.AsSpan(52, 8).Fill(0xFF);
        Assert.Throws<InvalidFormatException>(() => ThresholdShare.ReadFrom(overModulus, Parameters));
    }

    /// <summary>Every party deals to every point; each point's share is the sum of what it received (through the wire format).</summary>
    private static ThresholdShare[] Shares(MultipartyContext context, int threshold)
    {
        var thresholdizer = new Thresholdizer(Parameters);
        ThresholdShare[][] dealt = [.. context.SecretShares.Select(secret => thresholdizer.Deal(secret, threshold, context.Parties))];
        return [.. Enumerable.Range(0, context.Parties).Select(x => thresholdizer.Combine(dealt.Select(d => ThresholdShare.ReadFrom(d[x].ToArray(), Parameters))))];
    }

    private static DecryptionShare Share(DecryptionShareProtocol protocol, ThresholdShare secret, int[] subset, CiphertextVector aggregate)
    {
        DecryptionShare share = protocol.AllocateShare(aggregate.Parts.Count);
        protocol.GenShare(secret, subset, aggregate, share);
        return share;
    }

    /// <summary>sum over the points of lambda_x * share_x, computed here from the Lagrange coefficients alone.</summary>
    private static ulong[] Weighted(Thresholdizer thresholdizer, ThresholdShare[] shares, int[] points)
    {
        var basis = Parameters.Basis;
        int n = basis.PolyDegree;
        var sum = new ulong[basis.CoefficientCount];
        foreach (ThresholdShare share in shares)
        {
            ulong[] lambda = thresholdizer.LagrangeAtZero(share.Point, points);
            for (int level = 0; level < basis.Count; level++)
            {
                var q = (System.Numerics.BigInteger)basis.Moduli[level].Value;
                for (int j = level * n; j < (level + 1) * n; j++)
                {
                    sum[j] = (ulong)((sum[j] + ((System.Numerics.BigInteger)share.Value[j] * lambda[level])) % q);
                }
            }
        }

        return sum;
    }

    /// <summary>All subsets of size k of 1..n in order when there are at most <see cref="MaxSubsets"/>, else that many distinct ones at random.</summary>
    private static List<int[]> Subsets(int n, int k, Random random)
    {
        if (Binomial(n, k) <= MaxSubsets)
        {
            return [.. Combinations(Enumerable.Range(1, n).ToArray(), k)];
        }

        var drawn = new HashSet<string>();
        var subsets = new List<int[]>();
        while (subsets.Count < MaxSubsets)
        {
            int[] subset = [.. Enumerable.Range(1, n).OrderBy(_ => random.Next()).Take(k).Order()];
            if (drawn.Add(string.Join(',', subset)))
            {
                subsets.Add(subset);
            }
        }

        return subsets;
    }

    private static IEnumerable<int[]> Combinations(int[] items, int k) =>
        k == 0 ? [[]] : items.SelectMany((item, i) => Combinations(items[(i + 1)..], k - 1).Select(rest => (int[])[item, .. rest]));

    private static int Binomial(int n, int k) => k == 0 ? 1 : Binomial(n - 1, k - 1) * n / k;
}
