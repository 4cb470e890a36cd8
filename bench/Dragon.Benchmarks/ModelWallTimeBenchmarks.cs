using BenchmarkDotNet.Attributes;
using Dragon.Benchmarks.JobWallTime;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;

namespace Dragon.Benchmarks;

/// <summary>
/// A 5-covariate logistic regression (<see cref="PlainModel"/>) end to end, every round encrypted, summed and
/// decrypted (a platform host in its own process, N node agents polling every 0.05 s), against the same fit in plain
/// text by the same nodes' code; Ratio is encrypted / plain in one run. Sizes come from <c>DRAGON_BENCH_MODEL_SIZES</c>
/// (<c>nodes x records</c>, comma-separated; default <c>3x10000,10x100000</c>). The rounds each fit took are in the
/// setup log (its first fit is checked against the plain one).
/// Run just this class with <c>bash bench/run.sh --filter '*ModelWallTime*'</c>.
/// </summary>
[Config(typeof(JobWallTimeBenchmarks.SecondsLongJobs))]
public class ModelWallTimeBenchmarks
{
    private static readonly TimeSpan AgentPollInterval = TimeSpan.FromSeconds(0.05);
    private readonly DirectoryInfo _plainFolder = Directory.CreateTempSubdirectory("dragon-bench-model-");
    private EncryptedConsortium? _consortium;
    private IReadOnlyList<PlainSite> _plainSites = [];

    public static IEnumerable<string> Sizes() => ConsortiumSize.FromEnvironment("DRAGON_BENCH_MODEL_SIZES", "3x10000,10x100000");

    [ParamsSource(nameof(Sizes))]
    public string Size { get; set; } = "3x10000";

    private int Nodes => ConsortiumSize.Nodes(Size);

    private int RecordsPerNode => ConsortiumSize.RecordsPerNode(Size);

    [GlobalSetup(Target = nameof(Plain))]
    public void SetUpPlain() => _plainSites = BenchmarkSites.WritePlain(_plainFolder.FullName, Nodes, RecordsPerNode);

    [GlobalSetup(Target = nameof(Encrypted))]
    public void SetUpEncrypted() =>
        _consortium = EncryptedConsortium.StartAsync(Nodes, RecordsPerNode, AgentPollInterval, CancellationToken.None, PlainModel.Benchmark).GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "plain-text fit, same nodes' code")]
    public Task<ModelTable> Plain() => PlainModel.FitAsync(_plainSites, CancellationToken.None);

    [Benchmark(Description = "encrypted fit, end to end")]
    public Task<JobResponse> Encrypted() => _consortium!.RunJobAsync(CancellationToken.None);

    [GlobalCleanup]
    public void CleanUp()
    {
        _consortium?.Dispose();
        _plainFolder.Delete(recursive: true);
    }
}
