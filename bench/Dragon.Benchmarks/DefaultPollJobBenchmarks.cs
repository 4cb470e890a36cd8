using BenchmarkDotNet.Attributes;
using Dragon.Benchmarks.JobWallTime;
using Dragon.Contracts.Jobs;

namespace Dragon.Benchmarks;

/// <summary>
/// A job with the node agent's default settings: agents that poll every 30 s, woken by the platform's push channel,
/// against the same job with agents polling every 0.05 s (the baseline, as the job wall time runs them): 3 nodes, 10,000
/// records each (the 3 x 10,000 case of the job wall time), one job per iteration as in <see cref="JobWallTimeBenchmarks"/>. Before the push channel the default
/// settings took two polls, about a minute.
/// Run just this class with <c>bash bench/run.sh --filter '*DefaultPollJob*'</c>.
/// </summary>
[Config(typeof(JobWallTimeBenchmarks.SecondsLongJobs))]
public class DefaultPollJobBenchmarks
{
    private const int Nodes = 3;
    private const int RecordsPerNode = 10_000;
    private EncryptedConsortium? _consortium;

    [GlobalSetup(Target = nameof(FastPoll))]
    public void SetUpFastPoll() =>
        _consortium = EncryptedConsortium.StartAsync(Nodes, RecordsPerNode, TimeSpan.FromSeconds(0.05), CancellationToken.None).GetAwaiter().GetResult();

    [GlobalSetup(Target = nameof(DefaultPollWithPush))]
    public void SetUpDefaultPoll() =>
        _consortium = EncryptedConsortium.StartAsync(Nodes, RecordsPerNode, TimeSpan.FromSeconds(30), CancellationToken.None).GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "agents polling every 0.05 s")]
    public Task<JobResponse> FastPoll() => _consortium!.RunJobAsync(CancellationToken.None);

    [Benchmark(Description = "default: 30 s poll, push channel")]
    public Task<JobResponse> DefaultPollWithPush() => _consortium!.RunJobAsync(CancellationToken.None);

    [GlobalCleanup]
    public void CleanUp() => _consortium?.Dispose();
}
