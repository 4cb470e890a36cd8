using Xunit.Abstractions;

namespace Dragon.Homomorphic.Tests.Rlwe;

public class EncryptDecryptTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Presets => new()
    {
        { ParameterPresets.InsecureBfv1024, 1 },
        { ParameterPresets.Bfv4096, 2 },
        { ParameterPresets.Bfv8192, 3 },
        { ParameterPresets.Bfv16384, 4 },
        { ParameterPresets.Bfv32768, 5 },
        { ParameterPresets.Bfv8192Batch, 6 },
    };

    [Theory]
    [MemberData(nameof(Presets))]
    public void PublicKeyEncryption_RoundTripsRandomVectors(string preset, int seed)
    {
        TestContext context = TestContext.For(preset);
        long[] values = TestContext.RandomValues(new Random(seed), context.Parameters.PolyModulusDegree, context.Encoder.MaxValue);
        Ciphertext encrypted = context.PublicEncryptor.Encrypt(context.Encoder.Encode(values));
        Assert.False(encrypted.IsSeedCompressed);
        Assert.Equal(values, context.Encoder.Decode(context.Decryptor.Decrypt(encrypted)));
        int budget = context.Decryptor.InvariantNoiseBudget(encrypted);
        output.WriteLine($"{preset}: fresh public-key budget {budget} bits");
        Assert.True(budget > 10);
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void SymmetricEncryption_RoundTripsRandomVectors_AndIsSeedCompressed(string preset, int seed)
    {
        TestContext context = TestContext.For(preset);
        long[] values = TestContext.RandomValues(new Random(seed), context.Parameters.PolyModulusDegree, context.Encoder.MaxValue);
        Ciphertext encrypted = context.SymmetricEncryptor.EncryptSymmetric(context.Encoder.Encode(values));
        Assert.True(encrypted.IsSeedCompressed);
        Assert.Equal(values, context.Encoder.Decode(context.Decryptor.Decrypt(encrypted)));
        Assert.True(context.Decryptor.InvariantNoiseBudget(encrypted) > 10);
    }

    [Theory]
    [InlineData(ParameterPresets.InsecureBfv1024, 10)]
    [InlineData(ParameterPresets.Bfv4096, 11)]
    public void ManyKeysAndVectors_RoundTrip(string preset, int seed)
    {
        var random = new Random(seed);
        EncryptionParameters parameters = TestContext.For(preset).Parameters;
        var encoder = new IntegerEncoder(parameters);
        for (int key = 0; key < 8; key++)
        {
            var keys = new KeyGenerator(parameters);
            var encryptor = new Encryptor(parameters, keys.CreatePublicKey());
            var decryptor = new Decryptor(parameters, keys.SecretKey);
            for (int vector = 0; vector < 4; vector++)
            {
                long[] values = TestContext.RandomValues(random, random.Next(1, parameters.PolyModulusDegree + 1), encoder.MaxValue);
                Plaintext decrypted = decryptor.Decrypt(encryptor.Encrypt(encoder.Encode(values)));
                Assert.Equal(values, encoder.Decode(decrypted).AsSpan(0, values.Length).ToArray());
            }
        }
    }

    [Fact]
    public void SumOfOneThousandCiphertexts_DecryptsToTheSum_WithTheStatedNoiseBudgetLeft()
    {
        TestContext context = TestContext.For(ParameterPresets.Bfv4096);
        var random = new Random(42);
        int n = context.Parameters.PolyModulusDegree;
        var expected = new long[n];
        Ciphertext? sum = null;
        int freshBudget = 0;
        for (int i = 0; i < 1000; i++)
        {
            long[] values = TestContext.RandomValues(random, n, 1_000_000);
            for (int j = 0; j < n; j++)
            {
                expected[j] += values[j];
            }

            Ciphertext encrypted = context.PublicEncryptor.Encrypt(context.Encoder.Encode(values));
            if (sum is null)
            {
                freshBudget = context.Decryptor.InvariantNoiseBudget(encrypted);
                sum = encrypted;
            }
            else
            {
                context.Evaluator.AddInPlace(sum, encrypted);
            }
        }

        Assert.Equal(expected, context.Encoder.Decode(context.Decryptor.Decrypt(sum!)));

        // Worst case: the noise of a sum of K fresh ciphertexts is at most K times the fresh bound,
        // so the budget (log2 of q/2 over t * noise) drops by at most log2(1000) < 10 bits.
        int budget = context.Decryptor.InvariantNoiseBudget(sum!);
        DecryptionBounds bounds = DecryptionBounds.Compute(context.Parameters, 1, 1000);
        int guaranteed = (int)context.Parameters.CoeffModulusProduct.GetBitLength() - 1
            - (int)(bounds.AggregateNoise * context.Parameters.PlainModulus).GetBitLength();
        output.WriteLine($"fresh budget {freshBudget} bits, after 1000 additions {budget} bits, worst-case guarantee {guaranteed} bits");
        Assert.True(budget >= guaranteed, $"budget {budget} below the worst-case guarantee {guaranteed}");
        Assert.True(budget >= freshBudget - 11, $"budget {budget} fell more than 11 bits below the fresh {freshBudget}");
        Assert.True(budget < freshBudget, "summing 1000 ciphertexts must consume some budget");
    }

    [Fact]
    public void Decrypt_WithAnotherKey_DoesNotRecoverThePlaintextAndHasNoBudget()
    {
        TestContext context = TestContext.For(ParameterPresets.Bfv4096);
        long[] values = TestContext.RandomValues(new Random(7), 4096, 1000);
        Ciphertext encrypted = context.PublicEncryptor.Encrypt(context.Encoder.Encode(values));
        var stranger = new Decryptor(context.Parameters, new KeyGenerator(context.Parameters).SecretKey);
        Assert.NotEqual(values, context.Encoder.Decode(stranger.Decrypt(encrypted)));
        Assert.Equal(0, stranger.InvariantNoiseBudget(encrypted));
    }

    [Fact]
    public void Encrypt_WithForeignParametersOrWrongKeyKind_Throws()
    {
        TestContext a = TestContext.For(ParameterPresets.Bfv4096);
        TestContext b = TestContext.For(ParameterPresets.Bfv8192);
        Assert.Throws<ArgumentException>(() => a.PublicEncryptor.Encrypt(b.Encoder.Encode([1])));
        Assert.Throws<ArgumentException>(() => new Encryptor(a.Parameters, b.PublicKey));
        Assert.Throws<InvalidOperationException>(() => a.PublicEncryptor.EncryptSymmetric(a.Encoder.Encode([1])));
        Assert.Throws<InvalidOperationException>(() => a.SymmetricEncryptor.Encrypt(a.Encoder.Encode([1])));
        Assert.Throws<ArgumentNullException>(() => a.PublicEncryptor.Encrypt(null!));
    }
}
