namespace Dragon.Homomorphic.Tests.Bfv;

public class EncryptionParametersTests
{
    public static TheoryData<string> SecurePresets => new(ParameterPresets.Names.Where(n => !ParameterPresets.IsInsecure(n)));

    public static TheoryData<string> InsecurePresets => new(ParameterPresets.Names.Where(ParameterPresets.IsInsecure));

    [Theory]
    [MemberData(nameof(SecurePresets))]
    public void FromPreset_SecurePreset_IsWithinTheHeStandardTableAndKnowsItsName(string name)
    {
        EncryptionParameters parameters = EncryptionParameters.FromPreset(name);
        Assert.True(parameters.IsSecure);
        Assert.Equal(name, parameters.PresetName);
        Assert.True(parameters.CoeffModulusBitCount <= SecurityTable.MaxCoeffModulusBits(parameters.PolyModulusDegree));
        Assert.Equal(name.Contains("-batch", StringComparison.Ordinal), parameters.SupportsBatching);
        Assert.Equal(parameters, EncryptionParameters.Create(parameters.ToLiteral()));
        Assert.Equal(name, EncryptionParameters.Create(parameters.ToLiteral()).PresetName);
    }

    [Theory]
    [InlineData("bfv-4096", 4096, 1UL << 32)]
    [InlineData("bfv-8192", 8192, 1UL << 58)]
    [InlineData("bfv-16384", 16384, 1UL << 58)]
    [InlineData("bfv-32768", 32768, 1UL << 58)]
    public void FromPreset_PlatformNames_HaveTheDocumentedShape(string name, int n, ulong t)
    {
        EncryptionParameters parameters = EncryptionParameters.FromPreset(name);
        Assert.Equal(n, parameters.PolyModulusDegree);
        Assert.Equal(t, parameters.PlainModulus);
    }

    [Theory]
    [MemberData(nameof(InsecurePresets))]
    public void FromPreset_InsecurePreset_RequiresOptIn(string name)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => EncryptionParameters.FromPreset(name));
        Assert.Contains("128-bit", error.Message, StringComparison.Ordinal);
        EncryptionParameters parameters = EncryptionParameters.FromPreset(name, allowInsecure: true);
        Assert.False(parameters.IsSecure);
        Assert.Equal(name, parameters.PresetName);
    }

    [Fact]
    public void FromPreset_UnknownName_Throws() =>
        Assert.Throws<ArgumentException>(() => EncryptionParameters.FromPreset("bfv-9999"));

    [Fact]
    public void Create_AboveTheSecurityBound_IsRefusedUnlessOptedIn()
    {
        var literal = new EncryptionParametersLiteral
        {
            PolyModulusDegree = 4096,
            CoeffModulus = CoeffModulus.Create(4096, [55, 55]),
            PlainModulus = 1UL << 20,
        };
        ArgumentException error = Assert.Throws<ArgumentException>(() => EncryptionParameters.Create(literal));
        Assert.Contains("128-bit", error.Message, StringComparison.Ordinal);
        Assert.False(EncryptionParameters.Create(literal, allowInsecure: true).IsSecure);
    }

    public static TheoryData<string, EncryptionParametersLiteral> InvalidLiterals
    {
        get
        {
            ulong[] good = CoeffModulus.Create(4096, [54, 55]);
            return new()
            {
                { "degree not a power of two", new() { PolyModulusDegree = 4000, CoeffModulus = good, PlainModulus = 1024 } },
                { "degree too large", new() { PolyModulusDegree = 65536, CoeffModulus = good, PlainModulus = 1024 } },
                { "no primes", new() { PolyModulusDegree = 4096, CoeffModulus = [], PlainModulus = 1024 } },
                { "composite", new() { PolyModulusDegree = 4096, CoeffModulus = [good[0] + (2 * 8192)], PlainModulus = 1024 } },
                { "not 1 mod 2n", new() { PolyModulusDegree = 4096, CoeffModulus = [4294967291UL], PlainModulus = 1024 } },
                { "duplicate", new() { PolyModulusDegree = 4096, CoeffModulus = [good[0], good[0]], PlainModulus = 1024 } },
                { "t too small", new() { PolyModulusDegree = 4096, CoeffModulus = good, PlainModulus = 1 } },
                { "t above a prime", new() { PolyModulusDegree = 4096, CoeffModulus = good, PlainModulus = good[0] + 2 } },
            };
        }
    }

    [Theory]
    [MemberData(nameof(InvalidLiterals))]
    public void Create_InvalidLiteral_Throws(string reason, EncryptionParametersLiteral literal)
    {
        Assert.NotNull(reason);
        Assert.Throws<ArgumentException>(() => EncryptionParameters.Create(literal, allowInsecure: true));
    }

    [Fact]
    public void Equality_FollowsTheParameterIdentity()
    {
        EncryptionParameters a = EncryptionParameters.FromPreset(ParameterPresets.Bfv4096);
        EncryptionParameters b = EncryptionParameters.Create(a.ToLiteral());
        EncryptionParameters c = EncryptionParameters.FromPreset(ParameterPresets.Bfv4096Batch);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.False(a.Id.SequenceEqual(c.Id));
    }
}
