using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// Batching (SIMD) encoding for a prime t = 1 mod 2n: the n values are the evaluations of the plaintext
/// polynomial at the primitive 2n-th roots of unity modulo t, so additions and plaintext multiplications act
/// slot by slot. Slot i is evaluation number i of the bit-reversed negacyclic NTT modulo t.
/// </summary>
public sealed class BatchEncoder : IVectorEncoder
{
    private readonly NttTables tables;

    /// <summary>Creates a batch encoder.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    /// <exception cref="ArgumentException">The plain modulus is not a prime equal to 1 mod 2n.</exception>
    public BatchEncoder(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!parameters.SupportsBatching || parameters.PlainNtt is null)
        {
            throw new ArgumentException("Batching needs a prime plain modulus equal to 1 mod 2n (use a '-batch' preset).", nameof(parameters));
        }

        Parameters = parameters;
        tables = parameters.PlainNtt;
    }

    /// <inheritdoc />
    public EncryptionParameters Parameters { get; }

    /// <inheritdoc />
    public int SlotCount => Parameters.PolyModulusDegree;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException">More values than slots, or the plaintext belongs to other parameters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value's magnitude is not below t/2.</exception>
    public void Encode(ReadOnlySpan<long> values, Plaintext destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Parameters.EnsureSame(destination.Parameters, nameof(destination));
        if (values.Length > SlotCount)
        {
            throw new ArgumentException($"At most {SlotCount} values fit one plaintext; use CiphertextVector for more.", nameof(values));
        }

        ulong t = Parameters.PlainModulus;
        long max = (long)((t - 1) / 2);
        int outOfRange = values.IndexOfAnyExceptInRange(-max, max);
        if (outOfRange >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(values), values[outOfRange], $"Value {outOfRange} lies outside [{-max}, {max}].");
        }

        Span<ulong> coefficients = destination.Coefficients;
        ReadOnlySpan<ulong> raw = MemoryMarshal.Cast<long, ulong>(values);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var tv = Vector256.Create(t);
            for (; i + 4 <= raw.Length; i += 4)
            {
                Vector256<ulong> v = Vector256.Create(raw.Slice(i, 4));
                Vector256<ulong> negative = Vector256.ShiftRightArithmetic(v.AsInt64(), 63).AsUInt64();
                (v + (tv & negative)).CopyTo(coefficients.Slice(i, 4));
            }
        }

        for (; i < raw.Length; i++)
        {
            long v = values[i];
            coefficients[i] = v >= 0 ? (ulong)v : t - (ulong)(-v);
        }

        coefficients.Slice(values.Length).Clear();
        Ntt.Inverse(coefficients, tables);
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
        ulong[] slots = plain.Coefficients.ToArray();
        Ntt.Forward(slots, tables);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = IntegerEncoder.Centre(slots[i], t);
        }
    }

    /// <summary>Decodes all n slots of a plaintext.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="plain"/> is null.</exception>
    /// <exception cref="ArgumentException">The plaintext belongs to other parameters.</exception>
    public long[] Decode(Plaintext plain)
    {
        var values = new long[SlotCount];
        Decode(plain, values);
        return values;
    }
}
