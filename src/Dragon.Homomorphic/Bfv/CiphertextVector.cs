namespace Dragon.Homomorphic;

/// <summary>
/// A vector of any length encrypted as consecutive ciphertexts of up to n values each: the one place that splits
/// long vectors. Part i holds values [i*n, (i+1)*n). Adding two vectors of equal length adds part by part.
/// </summary>
public sealed partial class CiphertextVector
{
    /// <summary>Largest number of parts accepted (a guard against absurd lengths from untrusted input).</summary>
    public const int MaxParts = 4096;

    private readonly Ciphertext[] parts;

    /// <summary>Wraps existing ciphertexts as a vector of the given length.</summary>
    /// <exception cref="ArgumentNullException">An argument or element is null.</exception>
    /// <exception cref="ArgumentException">The parts are empty, mixed parameters, or do not match the length.</exception>
    public CiphertextVector(int length, IReadOnlyList<Ciphertext> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (parts.Count == 0 || parts[0] is null)
        {
            throw new ArgumentException("At least one ciphertext is needed.", nameof(parts));
        }

        EncryptionParameters parameters = parts[0].Parameters;
        if (PartCountFor(length, parameters.PolyModulusDegree) != parts.Count)
        {
            throw new ArgumentException($"A vector of {length} values needs {PartCountFor(length, parameters.PolyModulusDegree)} ciphertexts.", nameof(parts));
        }

        foreach (Ciphertext part in parts)
        {
            ArgumentNullException.ThrowIfNull(part, nameof(parts));
            parameters.EnsureSame(part.Parameters, nameof(parts));
        }

        Parameters = parameters;
        Length = length;
        this.parts = [.. parts];
    }

    /// <summary>The parameters.</summary>
    public EncryptionParameters Parameters { get; }

    /// <summary>Number of values.</summary>
    public int Length { get; }

    /// <summary>The ciphertexts, in order.</summary>
    public IReadOnlyList<Ciphertext> Parts => parts;

    /// <summary>Number of ciphertexts needed for a vector of the given length.</summary>
    public static int PartCountFor(int length, int slotCount) => (length + slotCount - 1) / slotCount;

    /// <summary>
    /// Encodes and encrypts a vector of any length (public-key encryption when the encryptor has a public key,
    /// otherwise symmetric seed-compressed encryption).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The vector is empty or longer than MaxParts ciphertexts, or the parameters differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside the encoder's range.</exception>
    public static CiphertextVector Encrypt(Encryptor encryptor, IVectorEncoder encoder, ReadOnlySpan<long> values)
    {
        ArgumentNullException.ThrowIfNull(encryptor);
        ArgumentNullException.ThrowIfNull(encoder);
        encryptor.Parameters.EnsureSame(encoder.Parameters, nameof(encoder));
        if (values.IsEmpty)
        {
            throw new ArgumentException("The vector is empty.", nameof(values));
        }

        int slots = encoder.SlotCount;
        int count = PartCountFor(values.Length, slots);
        if (count > MaxParts)
        {
            throw new ArgumentException($"The vector needs more than {MaxParts} ciphertexts.", nameof(values));
        }

        var result = new Ciphertext[count];
        var plain = new Plaintext(encryptor.Parameters);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<long> chunk = values.Slice(i * slots, Math.Min(slots, values.Length - (i * slots)));
            encoder.Encode(chunk, plain);
            result[i] = encryptor.PublicKey is not null ? encryptor.Encrypt(plain) : encryptor.EncryptSymmetric(plain);
        }

        plain.Clear();
        return new CiphertextVector(values.Length, result);
    }

    /// <summary>Single-key decryption and decoding of the whole vector.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The parameters differ.</exception>
    public long[] Decrypt(Decryptor decryptor, IVectorEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(decryptor);
        ArgumentNullException.ThrowIfNull(encoder);
        Parameters.EnsureSame(decryptor.Parameters, nameof(decryptor));
        Parameters.EnsureSame(encoder.Parameters, nameof(encoder));
        var plains = new Plaintext[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            plains[i] = decryptor.Decrypt(parts[i]);
        }

        return Decode(encoder, plains, Length);
    }

    /// <summary>Decodes the first <paramref name="length"/> values from consecutive plaintexts.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Too few plaintexts for the length.</exception>
    public static long[] Decode(IVectorEncoder encoder, IReadOnlyList<Plaintext> plains, int length)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(plains);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int slots = encoder.SlotCount;
        if (PartCountFor(length, slots) > plains.Count)
        {
            throw new ArgumentException("Too few plaintexts for the requested length.", nameof(plains));
        }

        var values = new long[length];
        for (int i = 0; i * slots < length; i++)
        {
            encoder.Decode(plains[i], values.AsSpan(i * slots, Math.Min(slots, length - (i * slots))));
        }

        return values;
    }

    /// <summary>A new vector a + b (deterministic; equal inputs give byte-identical outputs).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Lengths or parameters differ.</exception>
    public static CiphertextVector Add(Evaluator evaluator, CiphertextVector a, CiphertextVector b)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        a.EnsureCompatible(b, nameof(b));
        evaluator.Parameters.EnsureSame(a.Parameters, nameof(a));
        var sum = new Ciphertext[a.parts.Length];
        for (int i = 0; i < sum.Length; i++)
        {
            sum[i] = evaluator.Add(a.parts[i], b.parts[i]);
        }

        return new CiphertextVector(a.Length, sum);
    }

    /// <summary>The sum of one or more vectors of equal length, added in the given order.</summary>
    /// <exception cref="ArgumentNullException">An argument or element is null.</exception>
    /// <exception cref="ArgumentException">The sequence is empty, or lengths or parameters differ.</exception>
    public static CiphertextVector Sum(Evaluator evaluator, IEnumerable<CiphertextVector> vectors)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(vectors);
        CiphertextVector? sum = null;
        foreach (CiphertextVector v in vectors)
        {
            ArgumentNullException.ThrowIfNull(v, nameof(vectors));
            if (sum is null)
            {
                evaluator.Parameters.EnsureSame(v.Parameters, nameof(vectors));
                sum = new CiphertextVector(v.Length, Array.ConvertAll(v.parts, p => p.CloneUncompressed()));
            }
            else
            {
                sum.EnsureCompatible(v, nameof(vectors));
                for (int i = 0; i < sum.parts.Length; i++)
                {
                    evaluator.AddInPlace(sum.parts[i], v.parts[i]);
                }
            }
        }

        return sum ?? throw new ArgumentException("At least one vector is needed.", nameof(vectors));
    }

    /// <summary>True when the parameters match and every part is valid.</summary>
    public bool IsValidFor(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Parameters.Equals(parameters) && Array.TrueForAll(parts, p => p.IsValidFor(parameters));
    }

    private void EnsureCompatible(CiphertextVector other, string paramName)
    {
        Parameters.EnsureSame(other.Parameters, paramName);
        if (other.Length != Length)
        {
            throw new ArgumentException($"Vector lengths differ ({Length} and {other.Length}).", paramName);
        }
    }
}
