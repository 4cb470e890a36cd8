namespace Dragon.Homomorphic;

/// <summary>Wire form of <see cref="PublicKey"/>: party count (4 bytes), then p0 and p1.</summary>
public sealed partial class PublicKey
{
    /// <summary>Size in bytes of the serialized key.</summary>
    public int BinarySize => WireFormat.HeaderLength + 4 + (2 * WireFormat.PolyLength(Parameters));

    /// <summary>Writes the key; returns the number of bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="BinarySize"/>.</exception>
    public int WriteTo(Span<byte> destination)
    {
        int size = BinarySize;
        if (destination.Length < size)
        {
            throw new ArgumentException($"The destination needs {size} bytes.", nameof(destination));
        }

        WireFormat.WriteHeader(destination, WireKind.PublicKey, 0, Parameters.Id, size - WireFormat.HeaderLength);
        var writer = new WireWriter(destination.Slice(WireFormat.HeaderLength));
        writer.WriteInt32(PartyCount);
        writer.WritePoly(Parameters.Basis, P0);
        writer.WritePoly(Parameters.Basis, P1);
        return size;
    }

    /// <summary>Writes the key to a stream.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToArray());
    }

    /// <summary>The serialized key.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[BinarySize];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Parses a key (untrusted input) made for the expected parameters from exactly the given bytes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> is null.</exception>
    /// <exception cref="InvalidFormatException">The input is malformed or made for other parameters.</exception>
    public static PublicKey ReadFrom(ReadOnlySpan<byte> source, EncryptionParameters expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ReadOnlySpan<byte> body = WireFormat.ReadFrame(source, WireKind.PublicKey, expected.Id, out byte flags);
        if (flags != 0)
        {
            throw new InvalidFormatException("A public key carries no flags.");
        }

        var reader = new WireReader(body, WireKind.PublicKey);
        int parties = reader.ReadCount("party count", 1, WireFormat.MaxPartyCount);
        if (reader.Remaining != 2 * WireFormat.PolyLength(expected))
        {
            throw new InvalidFormatException("PublicKey: the body length does not match the parameters.");
        }

        var p0 = new ulong[expected.Basis.CoefficientCount];
        var p1 = new ulong[expected.Basis.CoefficientCount];
        reader.ReadPoly(expected.Basis, p0);
        reader.ReadPoly(expected.Basis, p1);
        reader.EnsureEnd();
        return new PublicKey(expected, p0, p1, parties);
    }

    /// <summary>Parses one key from a stream.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidFormatException">The input is malformed or made for other parameters.</exception>
    public static PublicKey ReadFrom(Stream stream, EncryptionParameters expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return ReadFrom(WireFormat.ReadFrame(stream, WireKind.PublicKey, expected.Id), expected);
    }
}
