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
}
