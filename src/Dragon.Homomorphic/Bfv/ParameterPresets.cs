using System.Collections.Concurrent;

namespace Dragon.Homomorphic;

/// <summary>
/// Named parameter sets. The default presets use coefficient encoding with a power-of-two plain modulus sized for
/// large sums; the "-batch" variants share q and take a prime t = 1 mod 2n so <see cref="BatchEncoder"/> works.
/// All non-test presets are within the HomomorphicEncryption.org 128-bit bound. docs/crypto.md gives the
/// reasoning and the multiparty capacity of each.
/// </summary>
public static class ParameterPresets
{
    /// <summary>n = 4096, q = two primes of 54 and 55 bits (109 bits), t = 2^32.</summary>
    public const string Bfv4096 = "bfv-4096";

    /// <summary>n = 8192, q = three 60-bit primes (180 bits), t = 2^58.</summary>
    public const string Bfv8192 = "bfv-8192";

    /// <summary>n = 16384, q = four 60-bit primes (240 bits), t = 2^58.</summary>
    public const string Bfv16384 = "bfv-16384";

    /// <summary>n = 32768, q = four 60-bit primes (240 bits), t = 2^58.</summary>
    public const string Bfv32768 = "bfv-32768";

    /// <summary>As <see cref="Bfv4096"/> with t the largest 30-bit prime that is 1 mod 8192.</summary>
    public const string Bfv4096Batch = "bfv-4096-batch";

    /// <summary>As <see cref="Bfv8192"/> with t the largest 50-bit prime that is 1 mod 16384.</summary>
    public const string Bfv8192Batch = "bfv-8192-batch";

    /// <summary>As <see cref="Bfv16384"/> with t the largest 50-bit prime that is 1 mod 32768.</summary>
    public const string Bfv16384Batch = "bfv-16384-batch";

    /// <summary>As <see cref="Bfv32768"/> with t the largest 50-bit prime that is 1 mod 65536.</summary>
    public const string Bfv32768Batch = "bfv-32768-batch";

    /// <summary>Test only, NOT secure: n = 1024, two 50-bit primes, t = 2^20.</summary>
    public const string InsecureBfv1024 = "bfv-1024-insecure";

    /// <summary>Test only, NOT secure: n = 1024, two 50-bit primes, t the largest 20-bit prime that is 1 mod 2048.</summary>
    public const string InsecureBfv1024Batch = "bfv-1024-batch-insecure";

    private static readonly string[] AllNames =
    [
        Bfv4096, Bfv8192, Bfv16384, Bfv32768, Bfv4096Batch, Bfv8192Batch, Bfv16384Batch, Bfv32768Batch, InsecureBfv1024, InsecureBfv1024Batch,
    ];

    private static readonly ConcurrentDictionary<string, Lazy<EncryptionParametersLiteral>> Literals = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Lazy<EncryptionParameters>> Instances = new(StringComparer.Ordinal);

    /// <summary>Every preset name, the insecure test presets included.</summary>
    public static IReadOnlyList<string> Names => AllNames;

    /// <summary>True when the name denotes a test-only preset below 128-bit security.</summary>
    public static bool IsInsecure(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Contains("insecure", StringComparison.Ordinal);
    }

    /// <summary>The unchecked literal of a preset.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    public static EncryptionParametersLiteral GetLiteral(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!AllNames.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Unknown parameter preset '{name}'. Known: {string.Join(", ", AllNames)}.", nameof(name));
        }

        EncryptionParametersLiteral literal = Literals.GetOrAdd(name, key => new Lazy<EncryptionParametersLiteral>(() => Build(key))).Value;
        return literal with { CoeffModulus = [.. literal.CoeffModulus] };
    }

    internal static EncryptionParameters Get(string name, bool allowInsecure)
    {
        ArgumentNullException.ThrowIfNull(name);
        EncryptionParametersLiteral literal = GetLiteral(name);
        if (IsInsecure(name) && !allowInsecure)
        {
            throw new ArgumentException($"Preset '{name}' is below 128-bit security and only for tests; pass allowInsecure to use it.", nameof(name));
        }

        return Instances.GetOrAdd(name, _ => new Lazy<EncryptionParameters>(() => EncryptionParameters.Create(literal, allowInsecure: true))).Value;
    }

    internal static string? NameOf(int polyModulusDegree, IReadOnlyList<ulong> coeffModulus, ulong plainModulus)
    {
        foreach (string name in AllNames)
        {
            EncryptionParametersLiteral literal = Literals.GetOrAdd(name, key => new Lazy<EncryptionParametersLiteral>(() => Build(key))).Value;
            if (literal.PolyModulusDegree == polyModulusDegree
                && literal.PlainModulus == plainModulus
                && literal.CoeffModulus.SequenceEqual(coeffModulus))
            {
                return name;
            }
        }

        return null;
    }

    private static EncryptionParametersLiteral Build(string name) => name switch
    {
        Bfv4096 => Literal(4096, [54, 55], 1UL << 32),
        Bfv8192 => Literal(8192, [60, 60, 60], 1UL << 58),
        Bfv16384 => Literal(16384, [60, 60, 60, 60], 1UL << 58),
        Bfv32768 => Literal(32768, [60, 60, 60, 60], 1UL << 58),
        Bfv4096Batch => Literal(4096, [54, 55], CoeffModulus.PlainPrime(4096, 30)),
        Bfv8192Batch => Literal(8192, [60, 60, 60], CoeffModulus.PlainPrime(8192, 50)),
        Bfv16384Batch => Literal(16384, [60, 60, 60, 60], CoeffModulus.PlainPrime(16384, 50)),
        Bfv32768Batch => Literal(32768, [60, 60, 60, 60], CoeffModulus.PlainPrime(32768, 50)),
        InsecureBfv1024 => Literal(1024, [50, 50], 1UL << 20),
        InsecureBfv1024Batch => Literal(1024, [50, 50], CoeffModulus.PlainPrime(1024, 20)),
        _ => throw new ArgumentException($"Unknown parameter preset '{name}'.", nameof(name)),
    };

    private static EncryptionParametersLiteral Literal(int n, int[] bitSizes, ulong plainModulus) => new()
    {
        PolyModulusDegree = n,
        CoeffModulus = CoeffModulus.Create(n, bitSizes),
        PlainModulus = plainModulus,
    };
}
