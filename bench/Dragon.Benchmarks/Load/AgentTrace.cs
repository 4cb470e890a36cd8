using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Dragon.Benchmarks.JobWallTime;
using Dragon.Node.Agent;

namespace Dragon.Benchmarks.Load;

/// <summary>
/// Where a job's wall time goes at the nodes: runs jobs one after another over a consortium (agents with default
/// settings: push channel, 30 s poll) and records the agents' own spans (<see cref="AgentTelemetry"/>: rounds and
/// tasks) and their HTTP calls to the platform, which the agents make in this process. Prints, per span name, the
/// median over jobs of how many there were, their summed time, and when the first started and the last ended (ms
/// from submission), and the job timeline (printed when the consortium stops). Run it with <c>bash bench/run.sh --trace</c> (options: <c>--nodes 3 --records 10000 --jobs 10 --idle-requests 20</c>).
/// </summary>
public static partial class AgentTrace
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = LoadTestOptions.Parse(args);
        var jobs = LoadTestOptions.Read(args, "--jobs", 10);
        Console.WriteLine($"// agent trace: {options.Nodes} nodes x {options.Records:N0} records, {jobs} jobs (the first not counted)");
        using var consortium = await EncryptedConsortium.StartAsync(options.Nodes, options.Records, TimeSpan.FromSeconds(30), CancellationToken.None);
        var spans = new ConcurrentQueue<(string Name, DateTime Start, TimeSpan Duration)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is AgentTelemetry.SourceName or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => spans.Enqueue((Name(activity), activity.StartTimeUtc, activity.Duration)),
        };
        ActivitySource.AddActivityListener(listener);

        var perJob = new List<Dictionary<string, (int Count, double Total, double First, double Last)>>();
        for (var i = 0; i < jobs; i++)
        {
            spans.Clear();
            var submitted = DateTime.UtcNow;
            await consortium.RunJobAsync(CancellationToken.None);
            var released = DateTime.UtcNow;
            if (i == 0)
            {
                continue;
            }
            perJob.Add(spans.Where(s => s.Start >= submitted && s.Start < released)
                .GroupBy(s => s.Name)
                .ToDictionary(g => g.Key, g => (g.Count(), g.Sum(s => s.Duration.TotalMilliseconds),
                    g.Min(s => (s.Start - submitted).TotalMilliseconds), g.Max(s => (s.Start + s.Duration - submitted).TotalMilliseconds))));
        }

        var lastJob = await consortium.RunJobAsync(CancellationToken.None);
        var idle = new Dictionary<string, double>();
        var idleRequests = LoadTestOptions.Read(args, "--idle-requests", 20);
        foreach (var route in new[] { "/health/ready", "/api/v1/agreements", $"/api/v1/jobs/{lastJob.Id}" })
        {
            var times = new List<double>();
            for (var i = 0; i < idleRequests; i++)
            {
                var clock = Stopwatch.StartNew();
                await consortium.Researcher.GetAsync<System.Text.Json.JsonElement>(route, CancellationToken.None);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            idle[route] = Median(times);
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"With no job running, the researcher's GET (medians): {string.Join(", ", idle.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value:F1} ms")))}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Agent spans over {perJob.Count} jobs ({options.Nodes} nodes x {options.Records:N0} records), medians; times in ms from submission:");
        text.AppendLine();
        text.AppendLine("| span | count | summed ms | first start | last end |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var name in perJob.SelectMany(j => j.Keys).Distinct().OrderBy(n => perJob.Select(j => j.TryGetValue(n, out var s) ? s.First : double.MaxValue).Min()))
        {
            var present = perJob.Where(j => j.ContainsKey(name)).Select(j => j[name]).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {Median(present.Select(s => (double)s.Count)):F0} | {Median(present.Select(s => s.Total)):F0} | {Median(present.Select(s => s.First)):F0} | {Median(present.Select(s => s.Last)):F0} |");
        }
        Console.WriteLine(text);
        return 0;
    }

    private static string Name(Activity activity) => activity.Source.Name == AgentTelemetry.SourceName
        ? activity.OperationName
        : $"{activity.GetTagItem("http.request.method")} {Ids().Replace(activity.GetTagItem("url.full") is string url ? new Uri(url).AbsolutePath : "?", "{id}")}";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Ids();
}
