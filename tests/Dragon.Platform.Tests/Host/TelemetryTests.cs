using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Jobs;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Dragon.Platform.Tests.Jobs;

namespace Dragon.Platform.Tests.Host;

/// <summary>
/// The platform's own traces and metrics: a span per job step and per node upload carrying the job's id, the uploads'
/// sizes and the jobs that ended; and a host with OpenTelemetry switched on, exporting to an endpoint nobody listens on,
/// still serves.
/// </summary>
public sealed class TelemetryTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [Fact]
    public async Task AJob_LeavesASpanPerStepAndUpload_WithItsId_AndMetricsOfItsUploadsAndEnd()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == JobTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(tracing);
        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? Tag)>();
        using var metrics = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == JobTelemetry.SourceName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metrics.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, Tag(tags))));
        metrics.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, Tag(tags))));
        metrics.Start();
        var s = await JobScenario.CreateAsync(fixture.Factory);

        var job = await s.RunAsync(new AggregationSpec("count"), [2], [3], [4]);

        Assert.Equal("released", job.Status);
        var ofJob = spans.Where(a => Equals(a.GetTagItem(JobTelemetry.JobIdTag), job.Id.ToString())).Select(a => a.OperationName).ToList();
        Assert.Contains(JobEngine.StartWork, ofJob);
        Assert.Contains(JobEngine.AggregateWork, ofJob);
        Assert.Contains(JobEngine.ReleaseWork, ofJob);
        Assert.Equal(3, ofJob.Count(name => name == "job.upload.digest"));
        Assert.Equal(3, ofJob.Count(name => name == "job.upload.ciphertext"));
        Assert.Contains(measurements, m => m.Instrument == "dragon.job.upload.size" && m.Tag == "ciphertext" && m.Value > 1000);
        Assert.Contains(measurements, m => m.Instrument == "dragon.work.duration" && m.Value >= 0);
        Assert.Contains(measurements, m => m.Instrument == "dragon.jobs.ended" && m.Tag == "released");
    }

    [Fact]
    public async Task JobsByStatus_CountsTheDatabasesJobs_WhenMetricsAreCollected()
    {
        using var factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, settings: new Dictionary<string, string> { ["Telemetry:Enabled"] = "true" });
        try
        {
            var s = await JobScenario.CreateAsync(factory);
            var released = await s.RunAsync(new AggregationSpec("count"), [2], [3], [4]);
            var cancelled = await s.SubmitAsync(new AggregationSpec("count"));
            (await s.Researcher.Client.PostAsync($"/api/v1/jobs/{cancelled.Id}/cancel", null)).EnsureSuccessStatusCode();
            await s.SubmitAsync(new AggregationSpec("count"));
            var counts = new ConcurrentDictionary<string, long>();
            using var metrics = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Name == JobStatusGauge.Name)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            metrics.SetMeasurementEventCallback<long>((_, value, tags, _) => counts[Tag(tags)!] = value);
            metrics.Start();

            metrics.RecordObservableInstruments();

            Assert.Equal("released", released.Status);
            Assert.Equal(1, counts["released"]);
            Assert.Equal(1, counts["cancelled"]);
            Assert.Equal(1, counts.Where(c => c.Key is "queued" or "committing").Sum(c => c.Value));
            Assert.Equal(0, counts["failed"]);
            Assert.Equal(Enum.GetValues<JobStatus>().Length, counts.Count);
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }

    [Fact]
    public async Task HostWithTelemetryOn_AndNoCollectorListening_StillServes()
    {
        using var factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, settings: new Dictionary<string, string>
        {
            ["Telemetry:Enabled"] = "true",
            ["Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9",
        });
        try
        {
            var keys = await factory.CreateClient().GetAsync("/api/v1/audit/keys");
            var anonymous = await factory.CreateClient().GetAsync("/api/v1/jobs");

            Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key is "upload" or "status")
            {
                return tag.Value?.ToString();
            }
        }
        return null;
    }
}
