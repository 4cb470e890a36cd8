namespace Dragon.Homomorphic.Tests.Multiparty;

public class PublicKeyGenProtocolTests
{
    [Fact]
    public void SampleCrp_IsDeterministicInTheSeed()
    {
        var protocol = new PublicKeyGenProtocol(EncryptionParameters.FromPreset(ParameterPresets.Bfv4096));
        byte[] seed = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        byte[] other = (byte[])seed.Clone();
        other[31] ^= 1;
        Assert.Equal(protocol.SampleCrp(seed).Value, protocol.SampleCrp(seed).Value);
        Assert.NotEqual(protocol.SampleCrp(seed).Value, protocol.SampleCrp(other).Value);
        Assert.True(Dragon.Homomorphic.Ring.PolyOps.IsReduced(protocol.Parameters.Basis, protocol.SampleCrp(seed).Value));
        Assert.Throws<ArgumentException>(() => protocol.SampleCrp(new byte[31]));
    }

    [Theory]
    [InlineData(12, 2)]
    [InlineData(12, 7)]
    [InlineData(13, 16)]
    public void CollectiveKey_IsAPublicKeyForTheSumOfTheSecretShares(int logN, int parties)
    {
        MultipartyContext context = MultipartyContext.For(MultipartyContext.ParametersForLogN(logN), parties);
        Assert.Equal(parties, context.PublicKey.PartyCount);
        Assert.True(context.PublicKey.IsValidFor(context.Parameters));

        var basis = context.Parameters.Basis;
        var sum = new ulong[basis.CoefficientCount];
        foreach (SecretKey share in context.SecretShares)
        {
            Dragon.Homomorphic.Ring.PolyOps.Add(basis, sum, share.NttValue, sum);
        }

        long[] values = TestContext.RandomValues(new Random(logN + parties), 100, 1_000_000);
        Ciphertext encrypted = context.Encryptor.Encrypt(context.Encoder.Encode(values));
        var phase = (ulong[])encrypted.C0.Clone();
        Dragon.Homomorphic.Ring.PolyOps.MultiplyAddNtt(basis, encrypted.C1, sum, phase);
        basis.InverseNtt(phase);
        var plain = new Plaintext(context.Parameters);
        context.Parameters.Scaling.Decode(phase, plain.Coefficients);
        Assert.Equal(values, context.Encoder.Decode(plain).Take(100));
    }

    [Fact]
    public void GenPublicKeyNew_FromAnEmptyAggregate_Throws()
    {
        var protocol = new PublicKeyGenProtocol(EncryptionParameters.FromPreset(ParameterPresets.Bfv4096));
        PublicKeyGenCrp crp = protocol.SampleCrp(new byte[32]);
        Assert.Throws<ArgumentException>(() => protocol.GenPublicKeyNew(protocol.AllocateShare(), crp));
    }

    [Fact]
    public void GenShare_WithForeignParameters_Throws()
    {
        var protocol = new PublicKeyGenProtocol(EncryptionParameters.FromPreset(ParameterPresets.Bfv4096));
        PublicKeyGenCrp crp = protocol.SampleCrp(new byte[32]);
        SecretKey foreign = new KeyGenerator(EncryptionParameters.FromPreset(ParameterPresets.Bfv8192)).SecretKey;
        Assert.Throws<ArgumentException>(() => protocol.GenShare(foreign, crp, protocol.AllocateShare()));
    }
}
