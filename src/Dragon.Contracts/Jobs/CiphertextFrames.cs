using System.Buffers.Binary;

namespace Dragon.Contracts.Jobs;

/// <summary>
/// Ciphertexts as binary on the wire (<c>application/octet-stream</c>): each a 4-byte big-endian length, then its bytes.
/// A third smaller than base64 inside JSON and read without a JSON parser; the reader bounds the count and each length
/// before it allocates, since the bytes come from a party that is not trusted.
/// </summary>
public static class CiphertextFrames
{
    public const string MediaType = "application/octet-stream";

    public static byte[] Write(IReadOnlyList<byte[]> ciphertexts)
    {
        ArgumentNullException.ThrowIfNull(ciphertexts);
        var frames = new byte[ciphertexts.Sum(c => 4L + c.Length)];
        var at = 0;
        foreach (var ciphertext in ciphertexts)
        {
            BinaryPrimitives.WriteUInt32BigEndian(frames.AsSpan(at), (uint)ciphertext.Length);
            ciphertext.CopyTo(frames.AsSpan(at + 4));
            at += 4 + ciphertext.Length;
        }
        return frames;
    }

    /// <exception cref="InvalidDataException">More than <paramref name="maxCount"/> frames, an empty one or one over <paramref name="maxBytes"/>, or a truncated one.</exception>
    public static async Task<IReadOnlyList<byte[]>> ReadAsync(Stream stream, int maxCount, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var ciphertexts = new List<byte[]>();
        var header = new byte[4];
        while (true)
        {
            var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
            if (read == 0)
            {
                return ciphertexts;
            }
            if (read < header.Length)
            {
                throw new InvalidDataException("The ciphertexts end inside a length.");
            }
            if (ciphertexts.Count == maxCount)
            {
                throw new InvalidDataException($"More than the {maxCount} ciphertexts expected.");
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (length == 0 || length > maxBytes)
            {
                throw new InvalidDataException($"A ciphertext of {length} bytes; at most {maxBytes} were expected.");
            }
            var ciphertext = new byte[length];
            if (await stream.ReadAtLeastAsync(ciphertext, ciphertext.Length, throwOnEndOfStream: false, cancellationToken) < ciphertext.Length)
            {
                throw new InvalidDataException("The ciphertexts end inside one.");
            }
            ciphertexts.Add(ciphertext);
        }
    }
}
