using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Dragon.Homomorphic.Ring;

/// <summary>
/// Samplers for secrets, errors and smudging noise. Every bit comes from <see cref="RandomNumberGenerator"/>
/// (the operating system CSPRNG through OpenSSL, measured above 1.5 GB/s on the target machine, so no
/// intermediate generator is needed). Buffers that held secret randomness are zeroed before they are returned.
/// </summary>
internal static class Sampler
{
    /// <summary>Parameter eta of the centred binomial error: variance eta/2 = 10.5, standard deviation 3.24.</summary>
    public const int BinomialEta = 21;

    /// <summary>Bound on the absolute value of every error coefficient (the binomial's support is [-eta, eta]).</summary>
    public const int ErrorBound = BinomialEta;

    /// <summary>Fills the destination with coefficients uniform in {-1, 0, 1}.</summary>
    public static void Ternary(Span<long> destination)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(destination.Length + 64);
        try
        {
            Span<byte> bytes = buffer.AsSpan(0, destination.Length + 64);
            RandomNumberGenerator.Fill(bytes);
            int position = 0;
            for (int j = 0; j < destination.Length; j++)
            {
                byte b;
                do
                {
                    if (position == bytes.Length)
                    {
                        RandomNumberGenerator.Fill(bytes);
                        position = 0;
                    }

                    b = bytes[position++];
                }
                while (b == 255);

                destination[j] = (b % 3) - 1;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Fills the destination with centred binomial errors: popcount of 21 bits minus popcount of 21 bits, taking
    /// 6 random bytes (48 bits, 42 used) per coefficient.
    /// </summary>
    public static void CenteredBinomial(Span<long> destination)
    {
        const ulong mask = (1UL << BinomialEta) - 1;
        const int bytesPerCoefficient = 6;
        int length = (destination.Length * bytesPerCoefficient) + 2;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> bytes = buffer.AsSpan(0, length);
            RandomNumberGenerator.Fill(bytes);
            for (int j = 0; j < destination.Length; j++)
            {
                ulong r = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(j * bytesPerCoefficient));
                destination[j] = BitOperations.PopCount(r & mask) - BitOperations.PopCount((r >> BinomialEta) & mask);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Adds to every level of the destination an integer drawn uniformly from [-bound, bound] per coefficient
    /// (rejection sampling on 128-bit words), as smudging noise.
    /// </summary>
    public static void AddUniformSmudging(RnsBasis basis, UInt128 bound, Span<ulong> destination)
    {
        int n = basis.PolyDegree;
        if (bound >= (UInt128.MaxValue >> 2))
        {
            throw new ArgumentOutOfRangeException(nameof(bound), "The smudging bound must stay below 2^126.");
        }

        UInt128 range = (bound * 2) + 1;
        int bits = 128 - (int)UInt128.LeadingZeroCount(range);
        UInt128 mask = bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
        const int chunk = 256;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(chunk * 16);
        try
        {
            Span<byte> bytes = buffer.AsSpan(0, chunk * 16);
            int position = bytes.Length;
            for (int j = 0; j < n; j++)
            {
                UInt128 sample;
                do
                {
                    if (position == bytes.Length)
                    {
                        RandomNumberGenerator.Fill(bytes);
                        position = 0;
                    }

                    sample = BinaryPrimitives.ReadUInt128LittleEndian(bytes.Slice(position)) & mask;
                    position += 16;
                }
                while (sample >= range);

                bool negative = sample < bound;
                UInt128 magnitude = negative ? bound - sample : sample - bound;
                ulong high = (ulong)(magnitude >> 64);
                ulong low = (ulong)magnitude;
                for (int level = 0; level < basis.Count; level++)
                {
                    Modulus modulus = basis.Moduli[level];
                    ulong r = modulus.Reduce128(modulus.Reduce(high), low);
                    ref ulong d = ref destination[(level * n) + j];
                    d = negative ? modulus.Sub(d, r) : modulus.Add(d, r);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
