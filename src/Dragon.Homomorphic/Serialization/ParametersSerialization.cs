namespace Dragon.Homomorphic;

/// <summary>Wire form of <see cref="EncryptionParameters"/>: n (4 bytes), k (1), the k primes (8 each), t (8).</summary>
public sealed partial class EncryptionParameters
{
    /// <summary>Size in bytes of the serialized parameters.</summary>
    public int BinarySize => WireFormat.HeaderLength + BodyLength;

    private int BodyLength => 4 + 1 + (8 * coeffModulus.Length) + 8;

    /// <summary>Writes the parameters; returns the number of bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="BinarySize"/>.</exception>
    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < BinarySize)
        {
            throw new ArgumentException($"The destination needs {BinarySize} bytes.", nameof(destination));
        }

        WireFormat.WriteHeader(destination, WireKind.Parameters, 0, id, BodyLength);
        var writer = new WireWriter(destination.Slice(WireFormat.HeaderLength));
        writer.WriteInt32(PolyModulusDegree);
        writer.WriteByte((byte)coeffModulus.Length);
        foreach (ulong p in coeffModulus)
        {
            writer.WriteUInt64(p);
        }

        writer.WriteUInt64(PlainModulus);
        return BinarySize;
    }

    /// <summary>Writes the parameters to a stream.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToArray());
    }

    /// <summary>The serialized parameters.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[BinarySize];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Reads and validates parameters from exactly the given bytes.</summary>
    /// <param name="source">One serialized parameter object.</param>
    /// <param name="allowInsecure">Accept parameters below 128-bit security (tests only).</param>
    /// <exception cref="InvalidFormatException">The input is malformed, or describes invalid or (without opt-in) insecure parameters.</exception>
    public static EncryptionParameters ReadFrom(ReadOnlySpan<byte> source, bool allowInsecure = false)
    {
        ReadOnlySpan<byte> body = WireFormat.ReadFrame(source, WireKind.Parameters, default, out byte flags);
        if (flags != 0)
        {
            throw new InvalidFormatException("Parameters carry no flags.");
        }

        var reader = new WireReader(body, WireKind.Parameters);
        int n = reader.ReadCount("degree", MinPolyModulusDegree, MaxPolyModulusDegree);
        int k = reader.ReadByte();
        if (k < 1 || k > MaxCoeffModulusCount)
        {
            throw new InvalidFormatException($"Parameters: {k} primes lies outside [1, {MaxCoeffModulusCount}].");
        }

        var primes = new ulong[k];
        for (int i = 0; i < k; i++)
        {
            primes[i] = reader.ReadUInt64();
        }

        ulong t = reader.ReadUInt64();
        reader.EnsureEnd();
        if (!source.Slice(8, 32).SequenceEqual(ComputeId(n, primes, t)))
        {
            throw new InvalidFormatException("The parameter identity in the header does not match the parameters.");
        }

        try
        {
            var literal = new EncryptionParametersLiteral { PolyModulusDegree = n, CoeffModulus = primes, PlainModulus = t };
            string? preset = ParameterPresets.NameOf(n, primes, t);
            return preset is not null && (allowInsecure || !ParameterPresets.IsInsecure(preset))
                ? FromPreset(preset, allowInsecure)
                : Create(literal, allowInsecure);
        }
        catch (ArgumentException error)
        {
            throw new InvalidFormatException($"Invalid parameters: {error.Message}", error);
        }
    }

    /// <summary>Reads and validates one parameter object from a stream.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="InvalidFormatException">The input is malformed or describes invalid or insecure parameters.</exception>
    public static EncryptionParameters ReadFrom(Stream stream, bool allowInsecure = false) =>
        ReadFrom(WireFormat.ReadFrame(stream, WireKind.Parameters, default), allowInsecure);
}
