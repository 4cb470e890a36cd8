using Dragon.Node.Privacy;

namespace Dragon.Node.Tests.Privacy;

/// <summary>A reproducible source for statistical tests over a fixed seed range (never for real noise).</summary>
internal sealed class SeededSource(int seed) : RandomSource
{
    private readonly Random _random = new(seed);

    protected override void Fill(Span<byte> destination) => _random.NextBytes(destination);
}
