namespace Dragon.Homomorphic;

/// <summary>
/// Coefficient encoding of signed 64-bit vectors: value i becomes coefficient i modulo t. Sums of encrypted
/// vectors decode to element-wise sums as long as every sum stays in [-t/2, t/2) (values are centred mod t).
/// </summary>
public sealed class IntegerEncoder : IVectorEncoder
{
    /// <summary>Creates an encoder for the parameters.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    public IntegerEncoder(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        ulong t = parameters.PlainModulus;
        MaxValue = (long)((t - 1) / 2);
        MinValue = -(long)(t / 2);
    }

    /// <inheritdoc />
    public EncryptionParameters Parameters { get; }

    /// <inheritdoc />
    public int SlotCount => Parameters.PolyModulusDegree;

    /// <summary>The largest value that can be encoded, floor((t - 1) / 2).</summary>
    public long MaxValue { get; }

    /// <summary>The smallest value that can be encoded, -floor(t / 2).</summary>
    public long MinValue { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException">More values than slots, or the plaintext belongs to other parameters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value lies outside [<see cref="MinValue"/>, <see cref="MaxValue"/>].</exception>
    public void Encode(ReadOnlySpan<long> values, Plaintext destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Parameters.EnsureSame(destination.Parameters, nameof(destination));
        if (values.Length > SlotCount)
        {
            throw new ArgumentException($"At most {SlotCount} values fit one plaintext; use CiphertextVector for more.", nameof(values));
        }

        ulong t = Parameters.PlainModulus;
        Span<ulong> coefficients = destination.Coefficients;
        for (int i = 0; i < values.Length; i++)
        {
            long v = values[i];
            if (v < MinValue || v > MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(values), v, $"Value {i} lies outside [{MinValue}, {MaxValue}].");
            }

            coefficients[i] = v >= 0 ? (ulong)v : t - (ulong)(-v);
        }

        coefficients.Slice(values.Length).Clear();
    }

    /// <summary>Encodes values into a new plaintext.</summary>
    /// <exception cref="ArgumentException">More values than slots.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public Plaintext Encode(ReadOnlySpan<long> values)
    {
        var plain = new Plaintext(Parameters);
        Encode(values, plain);
        return plain;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="plain"/> is null.</exception>
    /// <exception cref="ArgumentException">The plaintext belongs to other parameters, or the destination is longer than the slot count.</exception>
    public void Decode(Plaintext plain, Span<long> destination)
    {
        ArgumentNullException.ThrowIfNull(plain);
        Parameters.EnsureSame(plain.Parameters, nameof(plain));
        if (destination.Length > SlotCount)
        {
            throw new ArgumentException($"At most {SlotCount} values can be decoded from one plaintext.", nameof(destination));
        }

        ulong t = Parameters.PlainModulus;
        ReadOnlySpan<ulong> coefficients = plain.Coefficients;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Centre(coefficients[i], t);
        }
    }

    /// <summary>Decodes all n values of a plaintext.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="plain"/> is null.</exception>
    /// <exception cref="ArgumentException">The plaintext belongs to other parameters.</exception>
    public long[] Decode(Plaintext plain)
    {
        var values = new long[SlotCount];
        Decode(plain, values);
        return values;
    }

    internal static long Centre(ulong value, ulong t) => value > (t - 1) / 2 ? -(long)(t - value) : (long)value;
}
