namespace Dragon.Homomorphic.Tests.Bfv;

public class EncoderTests
{
    [Theory]
    [InlineData(ParameterPresets.Bfv4096, 1)]
    [InlineData(ParameterPresets.Bfv8192, 2)]
    public void IntegerEncoder_RoundTripsRandomValuesAndTheExtremes(string preset, int seed)
    {
        var parameters = EncryptionParameters.FromPreset(preset);
        var encoder = new IntegerEncoder(parameters);
        long[] values = TestContext.RandomValues(new Random(seed), 1000, encoder.MaxValue);
        values[0] = encoder.MaxValue;
        values[1] = encoder.MinValue;
        values[2] = 0;
        Plaintext plain = encoder.Encode(values);
        Assert.Equal(values, encoder.Decode(plain).AsSpan(0, values.Length).ToArray());
        Assert.All(encoder.Decode(plain).Skip(values.Length), v => Assert.Equal(0, v));
    }

    [Fact]
    public void IntegerEncoder_OutOfRangeOrTooMany_Throws()
    {
        var encoder = new IntegerEncoder(EncryptionParameters.FromPreset(ParameterPresets.Bfv4096));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode([encoder.MaxValue + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode([encoder.MinValue - 1]));
        Assert.Throws<ArgumentException>(() => encoder.Encode(new long[4097]));
    }

    [Theory]
    [InlineData(ParameterPresets.InsecureBfv1024Batch, 3)]
    [InlineData(ParameterPresets.Bfv4096Batch, 4)]
    public void BatchEncoder_RoundTripsAndActsSlotBySlot(string preset, int seed)
    {
        var parameters = EncryptionParameters.FromPreset(preset, allowInsecure: ParameterPresets.IsInsecure(preset));
        var encoder = new BatchEncoder(parameters);
        var random = new Random(seed);
        ulong t = parameters.PlainModulus;
        long[] a = TestContext.RandomValues(random, encoder.SlotCount, 500);
        long[] b = TestContext.RandomValues(random, encoder.SlotCount, 500);
        Plaintext pa = encoder.Encode(a);
        Plaintext pb = encoder.Encode(b);
        Assert.Equal(a, encoder.Decode(pa));

        var product = new Plaintext(parameters);
        int n = parameters.PolyModulusDegree;
        var acc = new UInt128[2 * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                acc[i + j] = (acc[i + j] + ((UInt128)pa.Coefficients[i] * pb.Coefficients[j])) % t;
            }
        }

        for (int i = 0; i < n; i++)
        {
            product.Coefficients[i] = (ulong)((acc[i] + t - acc[i + n]) % t);
        }

        long[] slots = encoder.Decode(product);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(a[i] * b[i], slots[i]);
        }
    }

    [Fact]
    public void BatchEncoder_OutOfRangeOrTooMany_Throws()
    {
        var encoder = new BatchEncoder(EncryptionParameters.FromPreset(ParameterPresets.Bfv4096Batch));
        long max = (long)((encoder.Parameters.PlainModulus - 1) / 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode([0, 1, 2, 3, 4, max + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode([-max - 1]));
        Assert.Throws<ArgumentException>(() => encoder.Encode(new long[4097]));
        Assert.Equal([max, -max, 0, -1, 1], encoder.Decode(encoder.Encode([max, -max, 0, -1, 1])).Take(5));
    }

    [Fact]
    public void BatchEncoder_WithoutBatchingModulus_Throws() =>
        Assert.Throws<ArgumentException>(() => new BatchEncoder(EncryptionParameters.FromPreset(ParameterPresets.Bfv8192)));

    [Fact]
    public void FixedPointEncoder_RoundTripsDecimalsAtTheStatedScale()
    {
        var encoder = new FixedPointEncoder(EncryptionParameters.FromPreset(ParameterPresets.Bfv8192), 4);
        decimal[] values = [0m, 1.2345m, -98765.4321m, 0.00005m, -0.00005m, 123456789.0001m];
        Plaintext plain = encoder.Encode(values);
        decimal[] decoded = encoder.Decode(plain, values.Length);
        Assert.Equal([0m, 1.2345m, -98765.4321m, 0.0001m, -0.0001m, 123456789.0001m], decoded);
        Assert.Equal(10_000, encoder.Scale);
        Assert.Equal(12345L, encoder.ToScaled(1.2345m));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.ToScaled(1e20m));
    }
}
