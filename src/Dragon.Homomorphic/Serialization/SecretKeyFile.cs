using System.Security.Cryptography;

namespace Dragon.Homomorphic;

/// <summary>
/// The only way a <see cref="SecretKey"/> leaves memory: a file format for the node's own key store. Body: the n
/// coefficients as bytes s_j + 1 (in {0, 1, 2}), then the SHA-256 of those bytes (detects corruption). The file
/// holds the secret in clear: protect it with the operating system (permissions, encrypted volume, DPAPI, HSM).
/// </summary>
public static class SecretKeyFile
{
    /// <summary>The serialized secret key.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="secretKey"/> is null.</exception>
    public static byte[] ToArray(SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        int n = secretKey.Parameters.PolyModulusDegree;
        var bytes = new byte[WireFormat.HeaderLength + n + 32];
        WireFormat.WriteHeader(bytes, WireKind.SecretKey, 0, secretKey.Parameters.Id, n + 32);
        Span<byte> body = bytes.AsSpan(WireFormat.HeaderLength, n);
        for (int j = 0; j < n; j++)
        {
            body[j] = (byte)(secretKey.Coefficients[j] + 1);
        }

        SHA256.HashData(body, bytes.AsSpan(WireFormat.HeaderLength + n));
        return bytes;
    }

    /// <summary>Writes the secret key to a stream.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(SecretKey secretKey, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes = ToArray(secretKey);
        stream.Write(bytes);
        CryptographicOperations.ZeroMemory(bytes);
    }

    /// <summary>Reads a secret key made for the expected parameters from exactly the given bytes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> is null.</exception>
    /// <exception cref="InvalidFormatException">The input is malformed, corrupted or made for other parameters.</exception>
    public static SecretKey Read(ReadOnlySpan<byte> source, EncryptionParameters expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ReadOnlySpan<byte> body = WireFormat.ReadFrame(source, WireKind.SecretKey, expected.Id, out byte flags);
        int n = expected.PolyModulusDegree;
        if (flags != 0 || body.Length != n + 32)
        {
            throw new InvalidFormatException("SecretKey: unexpected flags or body length.");
        }

        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(body.Slice(0, n), digest);
        if (!CryptographicOperations.FixedTimeEquals(digest, body.Slice(n)))
        {
            throw new InvalidFormatException("SecretKey: the checksum does not match; the file is corrupted.");
        }

        var coefficients = new sbyte[n];
        for (int j = 0; j < n; j++)
        {
            if (body[j] > 2)
            {
                throw new InvalidFormatException($"SecretKey: coefficient {j} is not ternary.");
            }

            coefficients[j] = (sbyte)(body[j] - 1);
        }

        return new SecretKey(expected, coefficients);
    }

    /// <summary>Reads one secret key from a stream.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidFormatException">The input is malformed, corrupted or made for other parameters.</exception>
    public static SecretKey Read(Stream stream, EncryptionParameters expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        byte[] bytes = WireFormat.ReadFrame(stream, WireKind.SecretKey, expected.Id);
        try
        {
            return Read(bytes, expected);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
