namespace Dragon.Homomorphic;

/// <summary>Wire form of <see cref="ThresholdShare"/>: point (4 bytes), threshold (4 bytes), then the polynomial.</summary>
public sealed partial class ThresholdShare
{
    /// <summary>Size in bytes of the serialized share.</summary>
    public int BinarySize => BinarySizeFor(Parameters);

    /// <summary>Size in bytes of a serialized share for <paramref name="parameters"/>, to bound untrusted input before reading it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    public static int BinarySizeFor(EncryptionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return WireFormat.HeaderLength + 8 + WireFormat.PolyLength(parameters);
    }

    /// <summary>Writes the share; returns the number of bytes written. The bytes are secret: encrypt them to their recipient.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="BinarySize"/>.</exception>
    public int WriteTo(Span<byte> destination)
    {
        int size = BinarySize;
        if (destination.Length < size)
        {
            throw new ArgumentException($"The destination needs {size} bytes.", nameof(destination));
        }

        WireFormat.WriteHeader(destination, WireKind.ThresholdShare, 0, Parameters.Id, size - WireFormat.HeaderLength);
        var writer = new WireWriter(destination.Slice(WireFormat.HeaderLength));
        writer.WriteInt32(Point);
        writer.WriteInt32(Threshold);
        writer.WritePoly(Parameters.Basis, Value);
        return size;
    }

    /// <summary>The serialized share.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[BinarySize];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Parses a share (untrusted input) made for the expected parameters from exactly the given bytes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> is null.</exception>
    /// <exception cref="InvalidFormatException">The input is malformed or made for other parameters.</exception>
    public static ThresholdShare ReadFrom(ReadOnlySpan<byte> source, EncryptionParameters expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ReadOnlySpan<byte> body = WireFormat.ReadFrame(source, WireKind.ThresholdShare, expected.Id, out byte flags);
        if (flags != 0)
        {
            throw new InvalidFormatException("A threshold share carries no flags.");
        }

        var reader = new WireReader(body, WireKind.ThresholdShare);
        int point = reader.ReadCount("point", 1, WireFormat.MaxPartyCount);
        int threshold = reader.ReadCount("threshold", 1, WireFormat.MaxPartyCount);
        if (reader.Remaining != WireFormat.PolyLength(expected))
        {
            throw new InvalidFormatException("ThresholdShare: the body length does not match the parameters.");
        }

        var value = new ulong[expected.Basis.CoefficientCount];
        reader.ReadPoly(expected.Basis, value);
        reader.EnsureEnd();
        return new ThresholdShare(expected, point, threshold, value);
    }
}
