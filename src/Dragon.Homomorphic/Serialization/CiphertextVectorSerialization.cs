using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// Wire form of <see cref="CiphertextVector"/>: the value count (4 bytes), then for each of the ceil(length / n)
/// parts a flag byte (1 = seed-compressed) and the ciphertext body. Canonical, so the SHA-256 of the bytes of an
/// aggregate identifies it (nodes recompute it from the contributions).
/// </summary>
public sealed partial class CiphertextVector
{
    /// <summary>Size in bytes of the serialized vector.</summary>
    public int BinarySize => WireFormat.HeaderLength + BodyLength;

    /// <summary>
    /// The largest serialized size of a vector of <paramref name="length"/> values (no part seed-compressed), so a
    /// receiver can refuse an oversized upload before parsing it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not positive.</exception>
    public static long MaxBinarySize(EncryptionParameters parameters, int length)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        long parts = PartCountFor(length, parameters.PolyModulusDegree);
        return WireFormat.HeaderLength + 4 + (parts * (1 + (2L * WireFormat.PolyLength(parameters))));
    }

    private int BodyLength
    {
        get
        {
            int poly = WireFormat.PolyLength(Parameters);
            int size = 4;
            foreach (Ciphertext part in parts)
            {
                size += 1 + poly + (part.IsSeedCompressed ? SeedExpander.SeedLength : poly);
            }

            return size;
        }
    }

    /// <summary>Writes the vector; returns the number of bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="BinarySize"/>.</exception>
    public int WriteTo(Span<byte> destination)
    {
        int size = BinarySize;
        if (destination.Length < size)
        {
            throw new ArgumentException($"The destination needs {size} bytes.", nameof(destination));
        }

        WireFormat.WriteHeader(destination, WireKind.CiphertextVector, 0, Parameters.Id, size - WireFormat.HeaderLength);
        var writer = new WireWriter(destination.Slice(WireFormat.HeaderLength));
        writer.WriteInt32(Length);
        foreach (Ciphertext part in parts)
        {
            writer.WriteByte(part.IsSeedCompressed ? WireFormat.FlagSeedCompressed : (byte)0);
            part.WriteBody(ref writer);
        }

        return size;
    }

    /// <summary>Writes the vector to a stream.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToArray());
    }

    /// <summary>The serialized vector.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[BinarySize];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Parses a vector (untrusted input) made for the expected parameters from exactly the given bytes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> is null.</exception>
    /// <exception cref="InvalidFormatException">The input is malformed or made for other parameters.</exception>
    public static CiphertextVector ReadFrom(ReadOnlySpan<byte> source, EncryptionParameters expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ReadOnlySpan<byte> body = WireFormat.ReadFrame(source, WireKind.CiphertextVector, expected.Id, out byte flags);
        if (flags != 0)
        {
            throw new InvalidFormatException("A ciphertext vector carries no header flags.");
        }

        var reader = new WireReader(body, WireKind.CiphertextVector);
        int n = expected.PolyModulusDegree;
        int length = reader.ReadCount("length", 1, MaxParts * n);
        int count = PartCountFor(length, n);
        int poly = WireFormat.PolyLength(expected);
        if ((long)count * (1 + poly + SeedExpander.SeedLength) > reader.Remaining)
        {
            throw new InvalidFormatException($"Truncated CiphertextVector: {count} parts cannot fit {reader.Remaining} bytes.");
        }

        var result = new Ciphertext[count];
        for (int i = 0; i < count; i++)
        {
            byte partFlags = reader.ReadByte();
            if ((partFlags & ~WireFormat.FlagSeedCompressed) != 0)
            {
                throw new InvalidFormatException($"CiphertextVector: unknown flags {partFlags} on part {i}.");
            }

            result[i] = Ciphertext.ReadBody(ref reader, expected, partFlags == WireFormat.FlagSeedCompressed);
        }

        reader.EnsureEnd();
        return new CiphertextVector(length, result);
    }

    /// <summary>Parses one vector from a stream.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidFormatException">The input is malformed or made for other parameters.</exception>
    public static CiphertextVector ReadFrom(Stream stream, EncryptionParameters expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return ReadFrom(WireFormat.ReadFrame(stream, WireKind.CiphertextVector, expected.Id), expected);
    }
}
