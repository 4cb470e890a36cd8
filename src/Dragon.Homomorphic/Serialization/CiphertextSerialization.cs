using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>
/// Wire form of <see cref="Ciphertext"/>: c0, then c1 or, when the header flag 1 is set, the 32-byte seed c1 is
/// expanded from (seed-compressed, about half the size). The encoding is canonical: equal ciphertexts give equal bytes.
/// </summary>
public sealed partial class Ciphertext
{
    /// <summary>Size in bytes of the serialized ciphertext.</summary>
    public int BinarySize => WireFormat.HeaderLength + BodyLength;

    private int BodyLength => WireFormat.PolyLength(Parameters) + (IsSeedCompressed ? SeedExpander.SeedLength : WireFormat.PolyLength(Parameters));

    /// <summary>Writes the ciphertext; returns the number of bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="BinarySize"/>.</exception>
    public int WriteTo(Span<byte> destination)
    {
        int size = BinarySize;
        if (destination.Length < size)
        {
            throw new ArgumentException($"The destination needs {size} bytes.", nameof(destination));
        }

        WireFormat.WriteHeader(destination, WireKind.Ciphertext, IsSeedCompressed ? WireFormat.FlagSeedCompressed : (byte)0, Parameters.Id, BodyLength);
        var writer = new WireWriter(destination.Slice(WireFormat.HeaderLength));
        WriteBody(ref writer);
        return size;
    }

    /// <summary>Writes the ciphertext to a stream.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToArray());
    }

    /// <summary>The serialized ciphertext.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[BinarySize];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Parses a ciphertext (untrusted input) made for the expected parameters from exactly the given bytes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> is null.</exception>
    /// <exception cref="InvalidFormatException">The input is malformed or made for other parameters.</exception>
    public static Ciphertext ReadFrom(ReadOnlySpan<byte> source, EncryptionParameters expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ReadOnlySpan<byte> body = WireFormat.ReadFrame(source, WireKind.Ciphertext, expected.Id, out byte flags);
        if ((flags & ~WireFormat.FlagSeedCompressed) != 0)
        {
            throw new InvalidFormatException($"Ciphertext: unknown flags {flags}.");
        }

        bool compressed = flags == WireFormat.FlagSeedCompressed;
        int poly = WireFormat.PolyLength(expected);
        if (body.Length != poly + (compressed ? SeedExpander.SeedLength : poly))
        {
            throw new InvalidFormatException("Ciphertext: the body length does not match the parameters.");
        }

        var reader = new WireReader(body, WireKind.Ciphertext);
        Ciphertext result = ReadBody(ref reader, expected, compressed);
        reader.EnsureEnd();
        return result;
    }

    /// <summary>Parses one ciphertext from a stream.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidFormatException">The input is malformed or made for other parameters.</exception>
    public static Ciphertext ReadFrom(Stream stream, EncryptionParameters expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return ReadFrom(WireFormat.ReadFrame(stream, WireKind.Ciphertext, expected.Id), expected);
    }

    internal void WriteBody(ref WireWriter writer)
    {
        writer.WritePoly(Parameters.Basis, C0);
        if (IsSeedCompressed)
        {
            writer.WriteBytes(Seed);
        }
        else
        {
            writer.WritePoly(Parameters.Basis, C1);
        }
    }

    internal static Ciphertext ReadBody(ref WireReader reader, EncryptionParameters expected, bool compressed)
    {
        var result = new Ciphertext(expected);
        reader.ReadPoly(expected.Basis, result.C0);
        if (compressed)
        {
            byte[] seed = reader.ReadBytes(SeedExpander.SeedLength).ToArray();
            SeedExpander.Expand(expected.Basis, SeedExpansion.Aes256Counter, seed, Encryptor.CiphertextSeedDomain, result.C1);
            result.SetSeed(seed);
        }
        else
        {
            reader.ReadPoly(expected.Basis, result.C1);
        }

        return result;
    }
}
