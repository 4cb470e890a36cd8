namespace Dragon.Homomorphic.Tests.Serialization;

public class RoundTripTests
{
    [Theory]
    [MemberData(nameof(WireSamples.Names), MemberType = typeof(WireSamples))]
    public void ReadThenWrite_GivesTheSameBytes(string name)
    {
        WireSample sample = WireSamples.Get(name);
        Assert.Equal(sample.Bytes, sample.Serialize(sample.Parse(sample.Bytes)));
        using var stream = new MemoryStream(sample.Bytes);
        Assert.Equal(sample.Bytes, sample.Serialize(sample.ParseStream(stream)));
        Assert.Equal(stream.Length, stream.Position);
    }

    [Theory]
    [InlineData(ParameterPresets.Bfv4096)]
    [InlineData(ParameterPresets.Bfv8192)]
    [InlineData(ParameterPresets.Bfv32768Batch)]
    public void Parameters_RoundTripToTheSamePreset(string preset)
    {
        EncryptionParameters parameters = EncryptionParameters.FromPreset(preset);
        EncryptionParameters read = EncryptionParameters.ReadFrom(parameters.ToArray());
        Assert.Equal(parameters, read);
        Assert.Equal(preset, read.PresetName);
        Assert.Equal(parameters.BinarySize, parameters.ToArray().Length);
    }

    [Fact]
    public void InsecureParameters_AreRefusedWithoutOptIn()
    {
        byte[] bytes = WireSamples.Parameters.ToArray();
        Assert.Throws<InvalidFormatException>(() => EncryptionParameters.ReadFrom(bytes));
    }

    [Theory]
    [InlineData(ParameterPresets.Bfv4096)]
    [InlineData(ParameterPresets.Bfv8192)]
    public void Ciphertexts_RoundTripAndDecrypt_AndSeedCompressionHalvesTheSize(string preset)
    {
        TestContext context = TestContext.For(preset);
        long[] values = TestContext.RandomValues(new Random(3), 777, 1_000_000);
        Plaintext plain = context.Encoder.Encode(values);
        Ciphertext full = context.PublicEncryptor.Encrypt(plain);
        Ciphertext compressed = context.SymmetricEncryptor.EncryptSymmetric(plain);

        foreach (Ciphertext c in new[] { full, compressed })
        {
            byte[] bytes = c.ToArray();
            Assert.Equal(c.BinarySize, bytes.Length);
            Ciphertext read = Ciphertext.ReadFrom(bytes, context.Parameters);
            Assert.Equal(c.IsSeedCompressed, read.IsSeedCompressed);
            Assert.True(read.IsValidFor(context.Parameters));
            Assert.Equal(values, context.Encoder.Decode(context.Decryptor.Decrypt(read)).Take(777));
        }

        double ratio = (double)compressed.BinarySize / full.BinarySize;
        Assert.InRange(ratio, 0.49, 0.51);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(31)]
    [InlineData(45)]
    public void Ciphertexts_WithNarrowPrimes_RoundTripThroughEveryCoefficientWidth(int smallestBits)
    {
        EncryptionParameters parameters = EncryptionParameters.Create(
            new EncryptionParametersLiteral
            {
                PolyModulusDegree = 1024,
                CoeffModulus = CoeffModulus.Create(1024, [smallestBits, 61, 52]),
                PlainModulus = 16,
            },
            allowInsecure: true);
        var keys = new KeyGenerator(parameters);
        var encoder = new IntegerEncoder(parameters);
        long[] values = TestContext.RandomValues(new Random(smallestBits), 1024, 7);
        foreach (Ciphertext c in new[] { new Encryptor(parameters, keys.CreatePublicKey()).Encrypt(encoder.Encode(values)), new Encryptor(parameters, keys.SecretKey).EncryptSymmetric(encoder.Encode(values)) })
        {
            byte[] bytes = c.ToArray();
            Ciphertext read = Ciphertext.ReadFrom(bytes, parameters);
            Assert.Equal(bytes, read.ToArray());
            Assert.Equal(values, encoder.Decode(new Decryptor(parameters, keys.SecretKey).Decrypt(read)));
        }
    }

    [Fact]
    public void SecretKeyFile_RoundTripsAKeyThatStillDecrypts()
    {
        TestContext context = TestContext.For(ParameterPresets.Bfv4096);
        Ciphertext encrypted = context.PublicEncryptor.Encrypt(context.Encoder.Encode([42, -42]));
        using var stream = new MemoryStream();
        SecretKeyFile.Write(context.SecretKey, stream);
        stream.Position = 0;
        SecretKey read = SecretKeyFile.Read(stream, context.Parameters);
        Assert.Equal([42, -42], context.Encoder.Decode(new Decryptor(context.Parameters, read).Decrypt(encrypted)).Take(2));
    }

    [Fact]
    public void WriteTo_ShortDestination_Throws()
    {
        TestContext context = TestContext.For(ParameterPresets.Bfv4096);
        Ciphertext encrypted = context.PublicEncryptor.Encrypt(context.Encoder.Encode([1]));
        Assert.Throws<ArgumentException>(() => encrypted.WriteTo(new byte[encrypted.BinarySize - 1]));
        Assert.Throws<ArgumentNullException>(() => encrypted.WriteTo((Stream)null!));
    }
}
