using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Dragon.Homomorphic.Ring;

/// <summary>The extendable-output function used to expand a 32-byte seed into a uniform polynomial.</summary>
internal enum SeedExpansion
{
    /// <summary>SHAKE256 over (domain, seed, level, block): the common random polynomial of key generation.</summary>
    Shake256 = 1,

    /// <summary>AES-256 in counter mode keyed by the seed: the c1 of seed-compressed ciphertexts (fast path).</summary>
    Aes256Counter = 2,
}

/// <summary>
/// Expands a public 32-byte seed into a polynomial whose coefficients are uniform modulo each prime, by
/// rejection sampling: read 64-bit little-endian words, keep the prime's bit length, reject values not
/// below the prime. Output is deterministic given (seed, domain, parameters), so anyone can recompute it.
/// </summary>
internal static class SeedExpander
{
    public const int SeedLength = 32;

    public static void Expand(RnsBasis basis, SeedExpansion expansion, ReadOnlySpan<byte> seed, byte domain, Span<ulong> destination)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException($"A seed is {SeedLength} bytes.", nameof(seed));
        }

        int n = basis.PolyDegree;
        int blockBytes = ((n * 8) + (n * 2) + 15) & ~15;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(blockBytes);
        using Aes? aes = expansion == SeedExpansion.Aes256Counter ? Aes.Create() : null;
        if (aes is not null)
        {
            aes.Key = seed.ToArray();
        }

        try
        {
            Span<byte> block = buffer.AsSpan(0, blockBytes);
            for (int level = 0; level < basis.Count; level++)
            {
                Modulus modulus = basis.Moduli[level];
                ulong q = modulus.Value;
                ulong mask = modulus.BitCount == 64 ? ulong.MaxValue : (1UL << modulus.BitCount) - 1;
                Span<ulong> d = destination.Slice(level * n, n);
                uint blockIndex = 0;
                int position = blockBytes;
                for (int j = 0; j < n; j++)
                {
                    ulong v;
                    do
                    {
                        if (position == blockBytes)
                        {
                            FillBlock(expansion, aes, seed, domain, level, blockIndex++, block);
                            position = 0;
                        }

                        v = BinaryPrimitives.ReadUInt64LittleEndian(block.Slice(position)) & mask;
                        position += 8;
                    }
                    while (v >= q);

                    d[j] = v;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void FillBlock(SeedExpansion expansion, Aes? aes, ReadOnlySpan<byte> seed, byte domain, int level, uint blockIndex, Span<byte> block)
    {
        if (aes is null)
        {
            Span<byte> input = stackalloc byte[SeedLength + 10];
            "DRHE"u8.CopyTo(input);
            input[4] = domain;
            input[5] = (byte)level;
            BinaryPrimitives.WriteUInt32LittleEndian(input.Slice(6), blockIndex);
            seed.CopyTo(input.Slice(10));
            Shake256.HashData(input, block);
            return;
        }

        for (int offset = 0, counter = 0; offset < block.Length; offset += 16, counter++)
        {
            Span<byte> counterBlock = block.Slice(offset, 16);
            BinaryPrimitives.WriteUInt64LittleEndian(counterBlock, ((ulong)blockIndex << 32) | (uint)counter);
            counterBlock[8] = domain;
            counterBlock[9] = (byte)level;
            counterBlock.Slice(10).Clear();
        }

        aes.EncryptEcb(block, block, PaddingMode.None);
    }
}
