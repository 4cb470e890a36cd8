using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// Validated, immutable BFV parameters: degree n, coefficient modulus q = q_0 * ... * q_{k-1} of NTT-friendly
/// primes, plain modulus t, with every precomputed table the engine needs. Two parameter objects are equal
/// when their <see cref="Id"/> (SHA-256 of the canonical encoding) is equal.
/// </summary>
public sealed partial class EncryptionParameters : IEquatable<EncryptionParameters>
{
    /// <summary>Largest degree accepted.</summary>
    public const int MaxPolyModulusDegree = 32768;

    /// <summary>Smallest degree accepted (only as insecure test parameters below 1024).</summary>
    public const int MinPolyModulusDegree = 16;

    /// <summary>Largest number of primes in the coefficient modulus.</summary>
    public const int MaxCoeffModulusCount = 15;

    /// <summary>The plain modulus must lie below 2^59 (so sums of k rounded parts fit a word during decoding).</summary>
    public const int MaxPlainModulusBits = 59;

    private readonly ulong[] coeffModulus;
    private readonly byte[] id;

    private EncryptionParameters(int polyModulusDegree, ulong[] coeffModulus, ulong plainModulus, bool isSecure)
    {
        PolyModulusDegree = polyModulusDegree;
        this.coeffModulus = coeffModulus;
        PlainModulus = plainModulus;
        IsSecure = isSecure;
        CoeffModulusBitCount = coeffModulus.Sum(p => 64 - BitOperations.LeadingZeroCount(p));
        Basis = new RnsBasis(polyModulusDegree, coeffModulus);
        Scaling = new PlainScaling(Basis, plainModulus);
        SupportsBatching = Primes.IsPrime(plainModulus) && plainModulus % (2UL * (ulong)polyModulusDegree) == 1;
        if (SupportsBatching)
        {
            PlainNtt = new NttTables(new Modulus(plainModulus), polyModulusDegree);
        }

        id = ComputeId(polyModulusDegree, coeffModulus, plainModulus);
        PresetName = ParameterPresets.NameOf(polyModulusDegree, coeffModulus, plainModulus);
    }

    /// <summary>Degree n of the ring; also the number of values one ciphertext holds.</summary>
    public int PolyModulusDegree { get; }

    /// <summary>The primes q_i of the coefficient modulus.</summary>
    public IReadOnlyList<ulong> CoeffModulus => coeffModulus;

    /// <summary>The sum of the bit counts of the primes (the figure the security table bounds).</summary>
    public int CoeffModulusBitCount { get; }

    /// <summary>The plain modulus t.</summary>
    public ulong PlainModulus { get; }

    /// <summary>True when q is within the HomomorphicEncryption.org 128-bit bound for n.</summary>
    public bool IsSecure { get; }

    /// <summary>True when t is a prime equal to 1 mod 2n, so <see cref="BatchEncoder"/> can be used.</summary>
    public bool SupportsBatching { get; }

    /// <summary>The preset name ("bfv-8192", ...) when these parameters equal a preset, otherwise null.</summary>
    public string? PresetName { get; }

    /// <summary>SHA-256 of the canonical encoding: the parameter identity written into every wire object.</summary>
    public ReadOnlySpan<byte> Id => id;

    /// <summary>floor(q / t), the BFV scaling factor Delta.</summary>
    public BigInteger Delta => Basis.Product / PlainModulus;

    /// <summary>The coefficient modulus q.</summary>
    public BigInteger CoeffModulusProduct => Basis.Product;

    internal RnsBasis Basis { get; }

    internal PlainScaling Scaling { get; }

    internal NttTables? PlainNtt { get; }

    internal byte[] IdBytes => id;

    /// <summary>Validates a literal and builds the parameters.</summary>
    /// <param name="literal">The unchecked description.</param>
    /// <param name="allowInsecure">Accept parameters below 128-bit security (tests only).</param>
    /// <exception cref="ArgumentNullException"><paramref name="literal"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The degree is not a power of two in [16, 32768]; the primes are missing, too many, repeated, not prime, not
    /// 1 mod 2n or not below 2^61; t is below 2, not below 2^59 or not below every prime; or q exceeds the
    /// 128-bit security bound and <paramref name="allowInsecure"/> is false.
    /// </exception>
    public static EncryptionParameters Create(EncryptionParametersLiteral literal, bool allowInsecure = false)
    {
        ArgumentNullException.ThrowIfNull(literal);
        int n = literal.PolyModulusDegree;
        if (n < MinPolyModulusDegree || n > MaxPolyModulusDegree || !BitOperations.IsPow2(n))
        {
            throw new ArgumentException($"PolyModulusDegree must be a power of two in [{MinPolyModulusDegree}, {MaxPolyModulusDegree}], not {n}.", nameof(literal));
        }

        ulong[] primes = literal.CoeffModulus?.ToArray() ?? [];
        if (primes.Length == 0 || primes.Length > MaxCoeffModulusCount)
        {
            throw new ArgumentException($"CoeffModulus must hold 1 to {MaxCoeffModulusCount} primes.", nameof(literal));
        }

        ulong twoN = 2UL * (ulong)n;
        foreach (ulong p in primes)
        {
            if (p > Modulus.MaxValue || p % twoN != 1 || !Primes.IsPrime(p))
            {
                throw new ArgumentException($"{p} is not a prime below 2^61 congruent to 1 mod {twoN}.", nameof(literal));
            }
        }

        if (primes.Distinct().Count() != primes.Length)
        {
            throw new ArgumentException("CoeffModulus primes must be distinct.", nameof(literal));
        }

        ulong t = literal.PlainModulus;
        if (t < 2 || t >= 1UL << MaxPlainModulusBits || primes.Any(p => t >= p))
        {
            throw new ArgumentException($"PlainModulus must lie in [2, 2^{MaxPlainModulusBits}) and below every prime, not {t}.", nameof(literal));
        }

        int bits = primes.Sum(p => 64 - BitOperations.LeadingZeroCount(p));
        int maxBits = SecurityTable.MaxCoeffModulusBits(n);
        bool secure = bits <= maxBits;
        if (!secure && !allowInsecure)
        {
            throw new ArgumentException(
                $"A {bits}-bit coefficient modulus at n = {n} is below 128-bit security (at most {maxBits} bits); pass allowInsecure only in tests.",
                nameof(literal));
        }

        return new EncryptionParameters(n, primes, t, secure);
    }

    /// <summary>The parameters of a named preset (see <see cref="ParameterPresets"/>).</summary>
    /// <param name="name">"bfv-4096", "bfv-8192", "bfv-16384", "bfv-32768", their "-batch" variants, or an insecure test preset.</param>
    /// <param name="allowInsecure">Required to obtain a preset whose name contains "insecure".</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is unknown, or names an insecure preset without opt-in.</exception>
    public static EncryptionParameters FromPreset(string name, bool allowInsecure = false) => ParameterPresets.Get(name, allowInsecure);

    /// <summary>An unchecked literal describing these parameters.</summary>
    public EncryptionParametersLiteral ToLiteral() => new()
    {
        PolyModulusDegree = PolyModulusDegree,
        CoeffModulus = [.. coeffModulus],
        PlainModulus = PlainModulus,
    };

    /// <inheritdoc />
    public bool Equals(EncryptionParameters? other) => other is not null && (ReferenceEquals(this, other) || id.AsSpan().SequenceEqual(other.id));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EncryptionParameters);

    /// <inheritdoc />
    public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(id);

    /// <inheritdoc />
    public override string ToString() =>
        PresetName ?? $"BFV(n={PolyModulusDegree}, log2 q={CoeffModulusBitCount}, t={PlainModulus})";

    internal static byte[] ComputeId(int n, ulong[] primes, ulong t)
    {
        var buffer = new byte[16 + 4 + 1 + (8 * primes.Length) + 8];
        "DRHE-bfv-params1"u8.CopyTo(buffer);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(16), n);
        buffer[20] = (byte)primes.Length;
        for (int i = 0; i < primes.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(21 + (8 * i)), primes[i]);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(21 + (8 * primes.Length)), t);
        return SHA256.HashData(buffer);
    }

    internal void EnsureSame(EncryptionParameters? other, string paramName)
    {
        if (other is null || !Equals(other))
        {
            throw new ArgumentException("The object belongs to different encryption parameters.", paramName);
        }
    }
}
