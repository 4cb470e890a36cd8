namespace Dragon.Homomorphic;

/// <summary>
/// Fixed-point encoding of decimals with a stated number of decimal places k: a value v is encoded as the integer
/// round(v * 10^k) (midpoints away from zero) through <see cref="IntegerEncoder"/>, and decoding divides by 10^k.
/// Sums keep the scale; a product of two scaled values has scale 10^(2k), so encode squares with an encoder of
/// 2k places. The scaled sums must stay within the integer encoder's range.
/// </summary>
public sealed class FixedPointEncoder
{
    /// <summary>Most decimal places supported (10^18 is the largest power of ten in a long).</summary>
    public const int MaxDecimalPlaces = 18;

    private readonly IntegerEncoder integers;

    /// <summary>Creates an encoder with k decimal places.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decimalPlaces"/> lies outside [0, 18].</exception>
    public FixedPointEncoder(EncryptionParameters parameters, int decimalPlaces)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(decimalPlaces);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimalPlaces, MaxDecimalPlaces);
        integers = new IntegerEncoder(parameters);
        DecimalPlaces = decimalPlaces;
        Scale = 1;
        for (int i = 0; i < decimalPlaces; i++)
        {
            Scale *= 10;
        }
    }

    /// <summary>The number of decimal places k.</summary>
    public int DecimalPlaces { get; }

    /// <summary>The scale 10^k.</summary>
    public long Scale { get; }

    /// <summary>The parameters the encoder works with.</summary>
    public EncryptionParameters Parameters => integers.Parameters;

    /// <summary>round(value * 10^k), checked against the integer encoder's range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The scaled value does not fit the plaintext range.</exception>
    public long ToScaled(decimal value)
    {
        decimal scaled;
        try
        {
            scaled = decimal.Round(value * Scale, 0, MidpointRounding.AwayFromZero);
        }
        catch (OverflowException)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "The scaled value overflows.");
        }

        if (scaled < integers.MinValue || scaled > integers.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "The scaled value lies outside the plaintext range.");
        }

        return (long)scaled;
    }

    /// <summary>Scales every value (see <see cref="ToScaled(decimal)"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A scaled value does not fit the plaintext range.</exception>
    public long[] ToScaled(ReadOnlySpan<decimal> values)
    {
        var result = new long[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = ToScaled(values[i]);
        }

        return result;
    }

    /// <summary>scaled / 10^k as an exact decimal.</summary>
    public decimal FromScaled(long scaled) => (decimal)scaled / Scale;

    /// <summary>Encodes up to n decimals into a new plaintext.</summary>
    /// <exception cref="ArgumentException">More values than slots.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A scaled value does not fit the plaintext range.</exception>
    public Plaintext Encode(ReadOnlySpan<decimal> values) => integers.Encode(ToScaled(values));

    /// <summary>Decodes the first <paramref name="count"/> values.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="plain"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or above n.</exception>
    /// <exception cref="ArgumentException">The plaintext belongs to other parameters.</exception>
    public decimal[] Decode(Plaintext plain, int count)
    {
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, integers.SlotCount);
        var scaled = new long[count];
        integers.Decode(plain, scaled);
        return Array.ConvertAll(scaled, FromScaled);
    }
}
