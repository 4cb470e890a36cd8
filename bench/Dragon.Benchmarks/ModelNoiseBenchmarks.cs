using BenchmarkDotNet.Attributes;
using Dragon.Benchmarks.JobWallTime;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;
using Dragon.Contracts.Privacy;
using Dragon.Node.Data;
using Dragon.Node.Jobs;
using Dragon.Node.Privacy;
using Dragon.Platform.Api.Demo;

namespace Dragon.Benchmarks;

/// <summary>
/// What a differentially private model adds to a node's work for one round, against the round's vector it computes
/// anyway (the baseline, the Ratio column): the same vector with every value clipped to its bounds, and the noise
/// shares of the round (its sensitivities at the round's coefficients, then one exact discrete Gaussian per number).
/// The model is the wall-time benchmark's: death on age, CT severity, CRP, ICU admission and sex, over 100,000 records.
/// </summary>
[MemoryDiagnoser(false)]
public class ModelNoiseBenchmarks
{
    private static readonly Dictionary<string, LayoutVariable> Variables =
        CovidCohort.Variables.ToDictionary(v => v.Name!, v => new LayoutVariable(v.Name!, v.Type!, v.Categories, v.Min, v.Max), StringComparer.Ordinal);

    private LocalRecord[] _records = null!;
    private JobTaskSpec _exact = null!;
    private JobTaskSpec _private = null!;
    private int _length;

    [Params(100_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _records = [.. Enumerable.Range(0, Records).Select(i => new LocalRecord($"pt-{i}", new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["age"] = (long)random.Next(18, 96),
            ["sex"] = random.Next(2) == 0 ? "female" : "male",
            ["ct_severity"] = (long)random.Next(0, 26),
            ["icu"] = random.Next(4) == 0,
            ["outcome"] = random.Next(5) == 0 ? "deceased" : "recovered",
            ["crp"] = random.Next(0, 30_000) / 100m,
        }))];
        var design = GlmDesign.For(PlainModel.Aggregation, Variables);
        var progress = new GlmProgress(3, [-6, 0.05, 0.1, 0.004, 0.8, 0.3], -1.4);
        _length = GlmLayout.For(design).Length;
        _exact = new JobTaskSpec(Guid.NewGuid(), Guid.NewGuid(), [], "DUO:0000006", [], PlainModel.Aggregation with { Tolerance = null, MaxIterations = 6 }, _length, 0, 3, [],
            [.. Variables.Values], new JobPrivacy(ReleaseModes.Exact, 0), Model: progress);
        _private = _exact with { Privacy = new JobPrivacy(ReleaseModes.Dp, 0.02) };
    }

    [Benchmark(Baseline = true, Description = "a model's round (exact)")]
    public long[] Round() => GlmLocalVector.Compute(_exact, _records);

    [Benchmark(Description = "dp: the round, values clipped")]
    public long[] ClippedRound() => GlmLocalVector.Compute(_private, _records);

    [Benchmark(Description = "dp: sensitivities and noise shares of the round")]
    public long[] NoiseShares()
    {
        var vector = new long[_length];
        NoiseShare.Add(vector, TaskVerifier.Noise(_private)!, RandomSource.Secure);
        return vector;
    }
}
