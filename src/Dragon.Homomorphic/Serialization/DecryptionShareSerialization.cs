namespace Dragon.Homomorphic;

/// <summary>Wire form of <see cref="DecryptionShare"/>: party count (4 bytes), part count (4 bytes), the parts.</summary>
public sealed partial class DecryptionShare
{
    /// <summary>Size in bytes of the serialized share.</summary>
    public int BinarySize => WireFormat.HeaderLength + 8 + (Parts.Length * WireFormat.PolyLength(Parameters));

    /// <summary>The serialized size of a share covering <paramref name="partCount"/> ciphertexts, to check an upload before parsing it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    public static long BinarySizeFor(EncryptionParameters parameters, int partCount)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return WireFormat.HeaderLength + 8 + ((long)partCount * WireFormat.PolyLength(parameters));
    }

    /// <summary>Writes the share; returns the number of bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="BinarySize"/>.</exception>
    /// <exception cref="InvalidOperationException">The share holds no party's share yet.</exception>
    public int WriteTo(Span<byte> destination)
    {
        int size = BinarySize;
        if (destination.Length < size)
        {
            throw new ArgumentException($"The destination needs {size} bytes.", nameof(destination));
        }

        if (PartyCount < 1)
        {
            throw new InvalidOperationException("The share holds no party's share; call GenShare first.");
        }

        WireFormat.WriteHeader(destination, WireKind.DecryptionShare, 0, Parameters.Id, size - WireFormat.HeaderLength);
        var writer = new WireWriter(destination.Slice(WireFormat.HeaderLength));
        writer.WriteInt32(PartyCount);
        writer.WriteInt32(Parts.Length);
        foreach (ulong[] part in Parts)
        {
            writer.WritePoly(Parameters.Basis, part);
        }

        return size;
    }

    /// <summary>Writes the share to a stream.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The share holds no party's share yet.</exception>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToArray());
    }

    /// <summary>The serialized share.</summary>
    /// <exception cref="InvalidOperationException">The share holds no party's share yet.</exception>
    public byte[] ToArray()
    {
        var bytes = new byte[BinarySize];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Parses a share (untrusted input) made for the expected parameters from exactly the given bytes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> is null.</exception>
    /// <exception cref="InvalidFormatException">The input is malformed or made for other parameters.</exception>
    public static DecryptionShare ReadFrom(ReadOnlySpan<byte> source, EncryptionParameters expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ReadOnlySpan<byte> body = WireFormat.ReadFrame(source, WireKind.DecryptionShare, expected.Id, out byte flags);
        if (flags != 0)
        {
            throw new InvalidFormatException("A decryption share carries no flags.");
        }

        var reader = new WireReader(body, WireKind.DecryptionShare);
        int parties = reader.ReadCount("party count", 1, WireFormat.MaxPartyCount);
        int count = reader.ReadCount("part count", 1, CiphertextVector.MaxParts);
        if ((long)count * WireFormat.PolyLength(expected) != reader.Remaining)
        {
            throw new InvalidFormatException($"DecryptionShare: {count} parts do not match the {reader.Remaining} body bytes left.");
        }

        var parts = new ulong[count][];
        for (int i = 0; i < count; i++)
        {
            parts[i] = new ulong[expected.Basis.CoefficientCount];
            reader.ReadPoly(expected.Basis, parts[i]);
        }

        reader.EnsureEnd();
        return new DecryptionShare(expected, parts, parties);
    }

    /// <summary>Parses one share from a stream.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidFormatException">The input is malformed or made for other parameters.</exception>
    public static DecryptionShare ReadFrom(Stream stream, EncryptionParameters expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return ReadFrom(WireFormat.ReadFrame(stream, WireKind.DecryptionShare, expected.Id), expected);
    }
}
