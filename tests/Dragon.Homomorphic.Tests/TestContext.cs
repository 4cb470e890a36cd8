using System.Collections.Concurrent;

namespace Dragon.Homomorphic.Tests;

/// <summary>Keys and helpers for one parameter preset, built once per test run and shared by the tests.</summary>
public sealed class TestContext
{
    private static readonly ConcurrentDictionary<string, Lazy<TestContext>> Cache = new(StringComparer.Ordinal);

    private TestContext(string preset)
    {
        Parameters = EncryptionParameters.FromPreset(preset, allowInsecure: ParameterPresets.IsInsecure(preset));
        var keyGenerator = new KeyGenerator(Parameters);
        SecretKey = keyGenerator.SecretKey;
        PublicKey = keyGenerator.CreatePublicKey();
        PublicEncryptor = new Encryptor(Parameters, PublicKey);
        SymmetricEncryptor = new Encryptor(Parameters, SecretKey);
        Decryptor = new Decryptor(Parameters, SecretKey);
        Evaluator = new Evaluator(Parameters);
        Encoder = new IntegerEncoder(Parameters);
    }

    public EncryptionParameters Parameters { get; }

    public SecretKey SecretKey { get; }

    public PublicKey PublicKey { get; }

    public Encryptor PublicEncryptor { get; }

    public Encryptor SymmetricEncryptor { get; }

    public Decryptor Decryptor { get; }

    public Evaluator Evaluator { get; }

    public IntegerEncoder Encoder { get; }

    public static TestContext For(string preset) => Cache.GetOrAdd(preset, p => new Lazy<TestContext>(() => new TestContext(p))).Value;

    /// <summary>Random values uniform over [-bound, bound].</summary>
    public static long[] RandomValues(Random random, int count, long bound)
    {
        var values = new long[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = random.NextInt64(-bound, bound + 1);
        }

        return values;
    }
}
