using System.Numerics;
using Xunit.Abstractions;

namespace Dragon.Homomorphic.Tests.Multiparty;

public class DecryptionShareProtocolTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(10, 2)]
    [InlineData(12, 2)]
    [InlineData(12, 3)]
    [InlineData(12, 7)]
    [InlineData(12, 16)]
    [InlineData(13, 3)]
    [InlineData(13, 16)]
    [InlineData(14, 7)]
    public void CollectiveDecryption_OfTheSumOfEveryPartysVector_GivesThePlaintextSum(int logN, int parties)
    {
        MultipartyContext context = MultipartyContext.For(MultipartyContext.ParametersForLogN(logN), parties);
        int n = context.Parameters.PolyModulusDegree;
        int length = n + (n / 2);
        long bound = context.Encoder.MaxValue / parties;
        (long[][] inputs, CiphertextVector aggregate) = context.Contribute(new Random((logN * 100) + parties), length, bound, parties);

        SmudgingTarget target = TargetFor(logN);
        var protocol = new DecryptionShareProtocol(context.Parameters, parties, parties, target);
        DecryptionShare[] shares = [.. context.SecretShares.Select(s => DecryptionShare.ReadFrom(protocol.GenShareNew(s, aggregate).ToArray(), context.Parameters))];
        DecryptionShare combined = protocol.AggregateSharesNew(shares);

        Assert.Equal(MultipartyContext.Sum(inputs), protocol.Decrypt(aggregate, combined, context.Encoder));
        Assert.True(protocol.Bounds.Smudging >= protocol.Bounds.AggregateNoise << (target.DistanceBits + target.LifetimeBits + logN));
        Assert.True(protocol.Bounds.IsWithinLimit);
        output.WriteLine($"logN={logN}, parties={parties}: B_agg 2^{protocol.Bounds.AggregateNoise.GetBitLength()}, " +
            $"B_smudge 2^{protocol.Bounds.Smudging.GetBitLength()}, margin {protocol.Bounds.MarginBits} bits");
    }

    /// <summary>n = 1024 and 4096 cannot meet the key-set target (see <see cref="Bfv4096_CannotMeetTheKeySetTarget_ForAnyPartyCount"/>): their arithmetic is tested with the test-only target.</summary>
    private static SmudgingTarget TargetFor(int logN) => logN >= 13 ? SmudgingTarget.KeySetLifetime : SmudgingTarget.InsecureForTests;

    [Fact]
    public void Combine_WithAShareMissing_IsRejected()
    {
        (MultipartyContext context, CiphertextVector aggregate, DecryptionShareProtocol protocol, DecryptionShare[] shares) = Setup(5);
        DecryptionShare partial = protocol.AggregateSharesNew(shares.Take(4));
        Assert.Throws<DecryptionVerificationException>(() => protocol.Combine(aggregate, partial));
        Assert.NotNull(context);
    }

    [Fact]
    public void Combine_WithOnePartysShareCountedTwice_IsRejectedByTheResidualCheck()
    {
        (_, CiphertextVector aggregate, DecryptionShareProtocol protocol, DecryptionShare[] shares) = Setup(5);
        DecryptionShare forged = protocol.AggregateSharesNew([.. shares.Take(4), shares[0]]);
        Assert.Equal(5, forged.PartyCount);
        DecryptionVerificationException error = Assert.Throws<DecryptionVerificationException>(() => protocol.Combine(aggregate, forged));
        Assert.Contains("exceed the noise bound", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, 1UL)]
    [InlineData(1, 4095, 12345UL)]
    [InlineData(0, 8191, 1UL << 40)]
    public void Combine_WithAnAlteredShare_IsRejected(int part, int coefficient, ulong delta)
    {
        (_, CiphertextVector aggregate, DecryptionShareProtocol protocol, DecryptionShare[] shares) = Setup(3);
        ulong q = protocol.Parameters.CoeffModulus[coefficient / 4096];
        ref ulong value = ref shares[1].Parts[part][coefficient];
        value = (value + delta) % q;
        Assert.Throws<DecryptionVerificationException>(() => protocol.Combine(aggregate, protocol.AggregateSharesNew(shares)));
    }

    [Fact]
    public void Combine_WithAShareMadeForAnotherCiphertext_IsRejected()
    {
        (MultipartyContext context, CiphertextVector aggregate, DecryptionShareProtocol protocol, DecryptionShare[] shares) = Setup(3);
        (_, CiphertextVector other) = context.Contribute(new Random(99), aggregate.Length, 1000, 3);
        shares[2] = protocol.GenShareNew(context.SecretShares[2], other);
        Assert.Throws<DecryptionVerificationException>(() => protocol.Combine(aggregate, protocol.AggregateSharesNew(shares)));
    }

    [Fact]
    public void Combine_WithAShareFromAKeyOutsideTheCollectiveKey_IsRejected()
    {
        (MultipartyContext context, CiphertextVector aggregate, DecryptionShareProtocol protocol, DecryptionShare[] shares) = Setup(3);
        shares[0] = protocol.GenShareNew(new KeyGenerator(context.Parameters).SecretKey, aggregate);
        Assert.Throws<DecryptionVerificationException>(() => protocol.Combine(aggregate, protocol.AggregateSharesNew(shares)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(16)]
    public void SmudgingBound_IsEnforced_OnBothSidesOfTheLimit(int parties)
    {
        EncryptionParameters parameters = EncryptionParameters.FromPreset(ParameterPresets.Bfv8192);
        long max = DecryptionBounds.MaxCiphertextCount(parameters, parties);
        Assert.True(max >= 16, $"bfv-8192 must allow at least 16 summed ciphertexts for {parties} parties, allows {max}");
        Assert.True(DecryptionBounds.Compute(parameters, parties, (int)max).IsWithinLimit);
        Assert.False(DecryptionBounds.Compute(parameters, parties, (int)max + 1).IsWithinLimit);
        _ = new DecryptionShareProtocol(parameters, parties, (int)max);
        Assert.Throws<NoiseBudgetExceededException>(() => new DecryptionShareProtocol(parameters, parties, (int)max + 1));
        output.WriteLine($"bfv-8192, parties={parties}: at most {max} summed ciphertexts");
    }

    [Fact]
    public void Decryption_AtTheLimit_StaysCorrect()
    {
        // t = 2^36 at n = 1024 leaves room for only a handful of ciphertexts with three parties at 2^40 smudging, so
        // the real smudging noise fills most of the allowed range q / (4t).
        var literal = new EncryptionParametersLiteral
        {
            PolyModulusDegree = 1024,
            CoeffModulus = CoeffModulus.Create(1024, [50, 50]),
            PlainModulus = 1UL << 36,
        };
        EncryptionParameters parameters = EncryptionParameters.Create(literal, allowInsecure: true);
        const int parties = 3;
        var target = new SmudgingTarget(DistanceBits: 30, LifetimeBits: 0);
        int max = (int)DecryptionBounds.MaxCiphertextCount(parameters, parties, target);
        Assert.InRange(max, 2, 64);
        MultipartyContext context = MultipartyContext.For(parameters, parties);
        (long[][] inputs, CiphertextVector aggregate) = context.Contribute(new Random(5), 1024, context.Encoder.MaxValue / max, max);
        var protocol = new DecryptionShareProtocol(parameters, parties, max, target);
        DecryptionShare combined = protocol.AggregateSharesNew(context.SecretShares.Select(s => protocol.GenShareNew(s, aggregate)));
        Assert.Equal(MultipartyContext.Sum(inputs), protocol.Decrypt(aggregate, combined, context.Encoder));
        Assert.True(protocol.Bounds.TotalNoise * 2 > protocol.Bounds.Limit, "the test must sit at the limit");
        Assert.Throws<NoiseBudgetExceededException>(() => new DecryptionShareProtocol(parameters, parties, max + 1, target));
    }

    [Fact]
    public void Share_CarriesSmudgingNoiseSpanningTheBound()
    {
        MultipartyContext context = MultipartyContext.For(MultipartyContext.ParametersForLogN(10), 2);
        (_, CiphertextVector aggregate) = context.Contribute(new Random(3), 10, 10, 2);
        var protocol = new DecryptionShareProtocol(context.Parameters, 2, 2, SmudgingTarget.InsecureForTests);
        DecryptionShare share = protocol.GenShareNew(context.SecretShares[0], aggregate);

        Dragon.Homomorphic.Ring.RnsBasis basis = context.Parameters.Basis;
        var noise = new ulong[basis.CoefficientCount];
        Dragon.Homomorphic.Ring.PolyOps.MultiplyNtt(basis, aggregate.Parts[0].C1, context.SecretShares[0].NttValue, noise);
        Dragon.Homomorphic.Ring.PolyOps.Sub(basis, share.Parts[0], noise, noise);
        basis.InverseNtt(noise);

        BigInteger q = basis.Product;
        BigInteger largest = BigInteger.Zero;
        for (int j = 0; j < basis.PolyDegree; j++)
        {
            BigInteger value = BigInteger.Zero;
            for (int i = 0; i < basis.Count; i++)
            {
                BigInteger punctured = q / basis.Moduli[i].Value;
                value += noise[(i * basis.PolyDegree) + j] * punctured * basis.PuncturedInverse[i];
            }

            value %= q;
            if (value > q / 2)
            {
                value = q - value;
            }

            largest = BigInteger.Max(largest, value);
        }

        Assert.True(largest <= protocol.Bounds.Smudging, "smudging noise exceeded its bound");
        Assert.True(largest * 2 >= protocol.Bounds.Smudging, "smudging noise does not span its bound");
    }

    [Fact]
    public void Constructor_RejectsNonsenseCounts()
    {
        EncryptionParameters parameters = EncryptionParameters.FromPreset(ParameterPresets.Bfv4096);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecryptionShareProtocol(parameters, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecryptionShareProtocol(parameters, 1, 0));
        Assert.Throws<NoiseBudgetExceededException>(() => new DecryptionShareProtocol(parameters, 16, 100_000));
    }

    [Theory]
    [InlineData(ParameterPresets.Bfv8192)]
    [InlineData(ParameterPresets.Bfv8192Batch)]
    [InlineData(ParameterPresets.Bfv16384)]
    [InlineData(ParameterPresets.Bfv32768)]
    public void SecurePresetsFrom8192_AllowThirtyTwoPartiesToDecryptTheirSum(string preset)
    {
        EncryptionParameters parameters = EncryptionParameters.FromPreset(preset);
        foreach (int parties in new[] { 16, 32 })
        {
            long max = DecryptionBounds.MaxCiphertextCount(parameters, parties);
            var bounds = DecryptionBounds.Compute(parameters, parties, parties, SmudgingTarget.KeySetLifetime);
            output.WriteLine($"{preset}: {parties} parties, at most {max} summed ciphertexts; B_smudge 2^{bounds.Smudging.GetBitLength() - 1}, margin {bounds.MarginBits} bits");
            Assert.True(max >= 256);
            Assert.True(DecryptionBounds.SupportsParties(parameters, parties));
        }
    }

    [Theory]
    [InlineData(ParameterPresets.Bfv4096)]
    [InlineData(ParameterPresets.Bfv4096Batch)]
    public void Bfv4096_CannotMeetTheKeySetTarget_ForAnyPartyCount(string preset)
    {
        EncryptionParameters parameters = EncryptionParameters.FromPreset(preset);
        foreach (int parties in new[] { 2, 3, 16 })
        {
            Assert.False(DecryptionBounds.SupportsParties(parameters, parties), $"{preset} must be refused for {parties} parties");
            Assert.Throws<NoiseBudgetExceededException>(() => new DecryptionShareProtocol(parameters, parties, parties));
        }
    }

    /// <summary>The smudging's stated guarantee: at most 2^-40 over a key set's 65,536 decrypted parts, for every preset and party count it allows.</summary>
    [Theory]
    [InlineData(ParameterPresets.Bfv8192, 2)]
    [InlineData(ParameterPresets.Bfv8192, 3)]
    [InlineData(ParameterPresets.Bfv8192, 16)]
    [InlineData(ParameterPresets.Bfv16384, 16)]
    [InlineData(ParameterPresets.Bfv32768, 16)]
    public void StatisticalDistance_OverTheKeySetLifetime_IsAtMostTwoToTheMinus40(string preset, int parties)
    {
        EncryptionParameters parameters = EncryptionParameters.FromPreset(preset);
        DecryptionBounds bounds = DecryptionBounds.Compute(parameters, parties, parties);
        Assert.True(bounds.IsWithinLimit);
        Assert.Equal(65_536, bounds.Target.MaxDecryptedParts);
        Assert.True(bounds.Log2DistanceOverLifetime <= -40, $"lifetime distance 2^{bounds.Log2DistanceOverLifetime:F1}");
        Assert.True(bounds.Log2DistancePerRelease(1) <= -56, $"one part 2^{bounds.Log2DistancePerRelease(1):F1}");
        Assert.Equal(bounds.Log2DistancePerRelease(1) + 3, bounds.Log2DistancePerRelease(8), 6);
        output.WriteLine($"{preset}, parties={parties}: B_smudge 2^{bounds.Smudging.GetBitLength()}, one part 2^{bounds.Log2DistancePerRelease(1):F1}, " +
            $"lifetime 2^{bounds.Log2DistanceOverLifetime:F1}, margin {bounds.MarginBits} bits");
    }

    private static (MultipartyContext, CiphertextVector, DecryptionShareProtocol, DecryptionShare[]) Setup(int parties)
    {
        MultipartyContext context = MultipartyContext.For(MultipartyContext.ParametersForLogN(12), parties);
        (_, CiphertextVector aggregate) = context.Contribute(new Random(parties), 5000, 1000, parties);
        var protocol = new DecryptionShareProtocol(context.Parameters, parties, parties, SmudgingTarget.InsecureForTests);
        DecryptionShare[] shares = [.. context.SecretShares.Select(s => protocol.GenShareNew(s, aggregate))];
        DecryptionShare honest = protocol.AggregateSharesNew(shares);
        Assert.NotEmpty(protocol.Combine(aggregate, honest));
        return (context, aggregate, protocol, shares);
    }
}
