using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Dragon.Benchmarks.Baselines;
using Dragon.Homomorphic;
using Dragon.Homomorphic.Ring;

namespace Dragon.Benchmarks;

/// <summary>
/// The NTT and sampling hot paths against textbook baselines measured in the same run (the Ratio column):
/// the baselines are what the engine would be without lazy Harvey butterflies, Shoup twiddles and AVX2,
/// and without bulk CSPRNG sampling.
/// </summary>
[MemoryDiagnoser(false)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class HotPathBenchmarks
{
    private NttTables tables = null!;
    private ulong[] poly = null!;
    private long[] small = null!;

    [Params(4096, 8192)]
    public int N { get; set; } = 4096;

    [GlobalSetup]
    public void Setup()
    {
        var parameters = EncryptionParameters.FromPreset(N == 4096 ? ParameterPresets.Bfv4096 : ParameterPresets.Bfv8192);
        tables = parameters.Basis.Tables[0];
        poly = [.. Enumerable.Range(0, N).Select(i => (ulong)i * 7919 % tables.Modulus.Value)];
        small = new long[N];
    }

    [Benchmark(Baseline = true, Description = "NTT forward, textbook")]
    [BenchmarkCategory("ntt-forward")]
    public void NttForwardTextbook() => TextbookNtt.Forward(poly, tables);

    [Benchmark(Description = "NTT forward")]
    [BenchmarkCategory("ntt-forward")]
    public void NttForward() => Ntt.Forward(poly, tables);

    [Benchmark(Baseline = true, Description = "NTT inverse, textbook")]
    [BenchmarkCategory("ntt-inverse")]
    public void NttInverseTextbook() => TextbookNtt.Inverse(poly, tables);

    [Benchmark(Description = "NTT inverse")]
    [BenchmarkCategory("ntt-inverse")]
    public void NttInverse() => Ntt.Inverse(poly, tables);

    [Benchmark(Baseline = true, Description = "ternary, per-coefficient RNG")]
    [BenchmarkCategory("ternary")]
    public void TernaryPerCoefficient() => NaiveSampler.Ternary(small);

    [Benchmark(Description = "ternary")]
    [BenchmarkCategory("ternary")]
    public void Ternary() => Sampler.Ternary(small);

    [Benchmark(Baseline = true, Description = "centred binomial error, per-coefficient RNG")]
    [BenchmarkCategory("error")]
    public void CenteredBinomialPerCoefficient() => NaiveSampler.CenteredBinomial(small);

    [Benchmark(Description = "centred binomial error")]
    [BenchmarkCategory("error")]
    public void CenteredBinomial() => Sampler.CenteredBinomial(small);
}
