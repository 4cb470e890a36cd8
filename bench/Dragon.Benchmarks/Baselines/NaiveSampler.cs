using System.Security.Cryptography;

namespace Dragon.Benchmarks.Baselines;

/// <summary>Benchmark baseline only: one call into the CSPRNG per coefficient.</summary>
internal static class NaiveSampler
{
    public static void Ternary(Span<long> destination)
    {
        for (int j = 0; j < destination.Length; j++)
        {
            destination[j] = RandomNumberGenerator.GetInt32(3) - 1;
        }
    }

    public static void CenteredBinomial(Span<long> destination)
    {
        Span<byte> bytes = stackalloc byte[6];
        for (int j = 0; j < destination.Length; j++)
        {
            RandomNumberGenerator.Fill(bytes);
            ulong r = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian([.. bytes, 0, 0]);
            destination[j] = System.Numerics.BitOperations.PopCount(r & 0x1FFFFF) - System.Numerics.BitOperations.PopCount((r >> 21) & 0x1FFFFF);
        }
    }
}
