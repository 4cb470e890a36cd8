using System.Buffers.Binary;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// The framing shared by every wire object. A 44-byte header:
/// magic "DRHE" (4), version (1), kind (1), flags (1), reserved zero (1), parameter identity (32, SHA-256 of the
/// canonical parameters), body length (4, little-endian); then the body. Integers are little-endian; a polynomial
/// is written level by level, each coefficient in ceil(bits(q_i) / 8) bytes, and must be below q_i on reading.
/// </summary>
internal static class WireFormat
{
    public const byte Version = 1;

    public const int HeaderLength = 44;

    /// <summary>Hard cap on a body, checked before anything is allocated.</summary>
    public const int MaxBodyLength = 512 * 1024 * 1024;

    /// <summary>Hard cap on party counts carried by keys and shares.</summary>
    public const int MaxPartyCount = 65536;

    public const byte FlagSeedCompressed = 1;

    private static ReadOnlySpan<byte> Magic => "DRHE"u8;

    public static int PolyLength(EncryptionParameters parameters)
    {
        int length = 0;
        foreach (Modulus m in parameters.Basis.Moduli)
        {
            length += BytesPerCoefficient(m) * parameters.PolyModulusDegree;
        }

        return length;
    }

    public static void WriteHeader(Span<byte> destination, WireKind kind, byte flags, ReadOnlySpan<byte> parameterId, int bodyLength)
    {
        Magic.CopyTo(destination);
        destination[4] = Version;
        destination[5] = (byte)kind;
        destination[6] = flags;
        destination[7] = 0;
        parameterId.CopyTo(destination.Slice(8, 32));
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(40), bodyLength);
    }

    /// <summary>
    /// Validates a whole frame (header and body) and returns the flags and the body. An empty expected parameter
    /// identity skips that check (parameters carry their own identity, checked against their body).
    /// </summary>
    public static ReadOnlySpan<byte> ReadFrame(ReadOnlySpan<byte> frame, WireKind kind, ReadOnlySpan<byte> expectedParameterId, out byte flags)
    {
        int bodyLength = CheckHeader(frame, kind, expectedParameterId, out flags);
        if (frame.Length - HeaderLength != bodyLength)
        {
            throw new InvalidFormatException(frame.Length - HeaderLength < bodyLength
                ? $"Truncated {kind}: the header announces {bodyLength} body bytes, {frame.Length - HeaderLength} present."
                : $"{frame.Length - HeaderLength - bodyLength} trailing bytes after the {kind}.");
        }

        return frame.Slice(HeaderLength);
    }

    /// <summary>
    /// Reads one frame from a stream: header first, then a body of the announced length (within the hard cap) read in
    /// chunks, so a lying length costs no more memory than the bytes actually present.
    /// </summary>
    public static byte[] ReadFrame(Stream stream, WireKind kind, ReadOnlySpan<byte> expectedParameterId)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[HeaderLength];
        ReadExactly(stream, header, kind);
        int bodyLength = CheckHeader(header, kind, expectedParameterId, out _);
        if (stream.CanSeek && stream.Length - stream.Position < bodyLength)
        {
            throw new InvalidFormatException($"Truncated {kind}: the header announces {bodyLength} body bytes, {stream.Length - stream.Position} remain.");
        }

        using var body = new MemoryStream();
        body.Write(header);
        byte[] chunk = new byte[Math.Min(bodyLength, 1 << 20)];
        int remaining = bodyLength;
        while (remaining > 0)
        {
            int read = stream.Read(chunk, 0, Math.Min(chunk.Length, remaining));
            if (read == 0)
            {
                throw new InvalidFormatException($"Truncated {kind}: the stream ended {remaining} bytes early.");
            }

            body.Write(chunk, 0, read);
            remaining -= read;
        }

        return body.ToArray();
    }

    public static int BytesPerCoefficient(Modulus modulus) => (modulus.BitCount + 7) / 8;

    private static int CheckHeader(ReadOnlySpan<byte> frame, WireKind kind, ReadOnlySpan<byte> expectedParameterId, out byte flags)
    {
        if (frame.Length < HeaderLength)
        {
            throw new InvalidFormatException($"Truncated {kind}: {frame.Length} bytes is shorter than the {HeaderLength}-byte header.");
        }

        if (!frame.Slice(0, 4).SequenceEqual(Magic))
        {
            throw new InvalidFormatException("Not a Dragon.Homomorphic object (bad magic).");
        }

        if (frame[4] != Version)
        {
            throw new InvalidFormatException($"Unsupported format version {frame[4]}.");
        }

        if (frame[5] != (byte)kind)
        {
            throw new InvalidFormatException($"Expected a {kind}, found object kind {frame[5]}.");
        }

        flags = frame[6];
        if (frame[7] != 0)
        {
            throw new InvalidFormatException("The reserved header byte is not zero.");
        }

        if (!expectedParameterId.IsEmpty && !frame.Slice(8, 32).SequenceEqual(expectedParameterId))
        {
            throw new InvalidFormatException($"The {kind} was made for other encryption parameters.");
        }

        int bodyLength = BinaryPrimitives.ReadInt32LittleEndian(frame.Slice(40));
        if (bodyLength < 0 || bodyLength > MaxBodyLength)
        {
            throw new InvalidFormatException($"The body length {(uint)bodyLength} exceeds the cap of {MaxBodyLength} bytes.");
        }

        return bodyLength;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, WireKind kind)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer.Slice(total));
            if (read == 0)
            {
                throw new InvalidFormatException($"Truncated {kind}: the stream ended inside the header.");
            }

            total += read;
        }
    }
}
