using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using Dragon.Benchmarks.JobWallTime;
using Dragon.Contracts.Jobs;

namespace Dragon.Benchmarks;

/// <summary>
/// The cost of encryption: a job's wall time end to end (submitted by the researcher until it is seen released; a
/// platform host in its own process, N node agents with default settings) against the same job computed in plain text
/// by the same nodes' code (<see cref="PlainJob"/>), for 3 and 10 nodes and 10,000 and 100,000 records per node, and
/// 30 nodes of 10,000 (<see cref="Sizes"/>). The
/// Ratio column is encrypted / plain, measured in the same run. Jobs take seconds, so: Monitoring (no pilot, no
/// overhead subtraction), one launch, one warm-up, five iterations of one job each.
/// Run just this class with <c>bash bench/run.sh --filter '*JobWallTime*'</c>.
/// </summary>
[Config(typeof(SecondsLongJobs))]
public class JobWallTimeBenchmarks
{
    /// <summary>Applied over whichever job runs (ShortRun, or one given with --job), so this class always runs this way.</summary>
    public sealed class SecondsLongJobs : ManualConfig
    {
        public SecondsLongJobs() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1)
            .WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1).AsMutator());
    }

    /// <summary>The agents' default: the push channel wakes them, and they poll every 30 s besides (0.05 s polls before #18's push channel).</summary>
    private static readonly TimeSpan AgentPollInterval = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _plainFolder = Directory.CreateTempSubdirectory("dragon-bench-plain-");
    private EncryptedConsortium? _consortium;
    private IReadOnlyList<PlainSite> _plainSites = [];

    /// <summary>The cases, NODESxRECORDS per node; <c>DRAGON_BENCH_JOB_SIZES</c> picks others (30 nodes only at 10,000: 3 million records would take this machine most of an hour).</summary>
    public static IEnumerable<string> Sizes() => ConsortiumSize.FromEnvironment("DRAGON_BENCH_JOB_SIZES", "3x10000,3x100000,10x10000,10x100000,30x10000");

    [ParamsSource(nameof(Sizes))]
    public string Size { get; set; } = "3x10000";

    private int Nodes => ConsortiumSize.Nodes(Size);

    private int RecordsPerNode => ConsortiumSize.RecordsPerNode(Size);

    [GlobalSetup(Target = nameof(Plain))]
    public void SetUpPlain() => _plainSites = BenchmarkSites.WritePlain(_plainFolder.FullName, Nodes, RecordsPerNode);

    [GlobalSetup(Target = nameof(Encrypted))]
    public void SetUpEncrypted() =>
        _consortium = EncryptedConsortium.StartAsync(Nodes, RecordsPerNode, AgentPollInterval, CancellationToken.None).GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "plain text, same nodes' code")]
    public Task<long[]> Plain() => PlainJob.ComputeAsync(_plainSites, CancellationToken.None);

    [Benchmark(Description = "encrypted job, end to end")]
    public Task<JobResponse> Encrypted() => _consortium!.RunJobAsync(CancellationToken.None);

    [GlobalCleanup]
    public void CleanUp()
    {
        _consortium?.Dispose();
        _plainFolder.Delete(recursive: true);
    }
}
