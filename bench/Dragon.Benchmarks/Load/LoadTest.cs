using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dragon.Benchmarks.JobWallTime;
using Dragon.Contracts.Access;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Api.Demo;

namespace Dragon.Benchmarks.Load;

/// <summary>
/// Many researchers at once against one platform host and its node agents, on loopback, for a bounded time: each
/// researcher lists their agreements, submits the benchmark's query and polls it until it ends, again and again.
/// Reports jobs and requests per second, latency percentiles per route, every error (there must be none) and the host's
/// memory. Run it with <c>bash bench/run.sh --load</c> (options: <c>--researchers 50 --nodes 10 --records 1000 --seconds 120</c>).
/// </summary>
public static class LoadTest
{
    private static readonly TimeSpan JobPollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(LoadTestOptions options)
    {
        Console.WriteLine($"// load test: {options.Researchers} researchers, {options.Nodes} nodes x {options.Records:N0} records, {options.Duration.TotalSeconds:F0} s");
        using var consortium = await EncryptedConsortium.StartAsync(options.Nodes, options.Records, TimeSpan.FromSeconds(30), CancellationToken.None);
        var researchers = new List<(PlatformUser User, Guid AgreementId)>();
        for (var i = 0; i < options.Researchers; i++)
        {
            researchers.Add(await consortium.AddResearcherAsync($"load-{i}@bench.dragon.test", CancellationToken.None));
        }
        Console.WriteLine($"// {researchers.Count} researchers with an agreement each; starting");

        var measurements = new Measurements();
        using var memory = new MemorySampler(consortium.Host.ProcessId);
        using var submitting = new CancellationTokenSource(options.Duration);
        var clock = Stopwatch.StartNew();
        var loops = researchers.Select(r => ResearcherAsync(consortium, r.User, r.AgreementId, measurements, submitting.Token)).ToList();
        await Task.WhenAll(loops).WaitAsync(options.Duration + DrainTimeout);
        var elapsed = clock.Elapsed;

        var report = measurements.Report(options, elapsed, memory.Summary());
        Console.WriteLine(report);
        var path = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts", "load-test.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, report);
        Console.WriteLine($"// written to {path}");
        return measurements.Errors.IsEmpty ? 0 : 1;
    }

    /// <summary>One researcher's loop; once <paramref name="submitting"/> ends, the job in flight is still followed to its end.</summary>
    private static async Task ResearcherAsync(EncryptedConsortium consortium, PlatformUser researcher, Guid agreementId, Measurements measurements, CancellationToken submitting)
    {
        while (!submitting.IsCancellationRequested)
        {
            await measurements.TimeAsync("GET /api/v1/agreements", () => researcher.GetAsync<Paged<AgreementResponse>>("/api/v1/agreements", CancellationToken.None));
            var job = await measurements.TimeAsync("POST /api/v1/jobs", () => researcher.SubmitJobAsync(consortium.Job(agreementId), CancellationToken.None));
            if (job is null)
            {
                continue;
            }
            var started = Stopwatch.StartNew();
            while (job is null || job.Status is not ("released" or "failed" or "cancelled"))
            {
                await Task.Delay(JobPollInterval, CancellationToken.None);
                job = await measurements.TimeAsync("GET /api/v1/jobs/{id}", () => researcher.GetAsync<JobResponse>($"/api/v1/jobs/{job!.Id}", CancellationToken.None)) ?? job;
            }
            if (job.Status == "released")
            {
                measurements.Record("job: submitted to released", started.Elapsed.TotalMilliseconds);
            }
            else
            {
                measurements.Fail($"job {job.Id} ended {job.Status}: {job.Failure}");
            }
        }
    }

    private sealed class Measurements
    {
        private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _latencies = new(StringComparer.Ordinal);

        public ConcurrentQueue<string> Errors { get; } = new();

        public async Task<T?> TimeAsync<T>(string route, Func<Task<T>> call) where T : class
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var result = await call();
                Record(route, clock.Elapsed.TotalMilliseconds);
                return result;
            }
            catch (Exception exception) when (exception is PlatformCallException or HttpRequestException or TaskCanceledException)
            {
                Fail($"{route}: {exception.Message}");
                return null;
            }
        }

        public void Record(string route, double milliseconds) => _latencies.GetOrAdd(route, _ => []).Add(milliseconds);

        public void Fail(string error) => Errors.Enqueue(error);

        public string Report(LoadTestOptions options, TimeSpan elapsed, string memory)
        {
            var text = new StringBuilder();
            var requests = _latencies.Where(l => l.Key.Contains('/', StringComparison.Ordinal) && !l.Key.StartsWith("job", StringComparison.Ordinal)).Sum(l => l.Value.Count);
            var jobs = _latencies.TryGetValue("job: submitted to released", out var released) ? released.Count : 0;
            text.AppendLine(CultureInfo.InvariantCulture, $"Load test: {options.Researchers} researchers, {options.Nodes} node agents x {options.Records:N0} records, submitting for {options.Duration.TotalSeconds:F0} s (every job followed to its end: {elapsed.TotalSeconds:F0} s in all)");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Throughput: {jobs} jobs released ({jobs / elapsed.TotalMinutes:F1} a minute), {requests:N0} researcher requests ({requests / elapsed.TotalSeconds:F1} a second). Errors: {Errors.Count}.");
            text.AppendLine(CultureInfo.InvariantCulture, $"Platform host memory (resident): {memory}.");
            text.AppendLine();
            text.AppendLine("| route | requests | p50 ms | p95 ms | p99 ms | max ms |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (route, values) in _latencies.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                var sorted = values.Order().ToArray();
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {route} | {sorted.Length} | {Percentile(sorted, 0.50):F0} | {Percentile(sorted, 0.95):F0} | {Percentile(sorted, 0.99):F0} | {sorted[^1]:F0} |");
            }
            foreach (var error in Errors.Take(20))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- error: {error}");
            }
            return text.ToString();
        }

        /// <summary>The nearest-rank percentile.</summary>
        private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>The load test's bounds, from the command line.</summary>
public sealed record LoadTestOptions(int Researchers, int Nodes, int Records, TimeSpan Duration)
{
    public static LoadTestOptions Parse(IReadOnlyList<string> args) =>
        new(Read(args, "--researchers", 50), Read(args, "--nodes", 10), Read(args, "--records", 1000), TimeSpan.FromSeconds(Read(args, "--seconds", 120)));

    /// <summary>The number after <paramref name="name"/> on the command line, or <paramref name="fallback"/>.</summary>
    public static int Read(IReadOnlyList<string> args, string name, int fallback)
    {
        ArgumentNullException.ThrowIfNull(args);
        var at = args.ToList().IndexOf(name);
        return at >= 0 && at + 1 < args.Count ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
