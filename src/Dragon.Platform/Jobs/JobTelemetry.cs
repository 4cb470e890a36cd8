using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Dragon.Platform.Jobs;

/// <summary>
/// The platform's own traces and metrics: a span per background step (with the job's id for a job's steps) and per node
/// upload, the steps' durations and the uploads' sizes. OpenTelemetry exports them when switched on
/// (<c>Telemetry:Enabled</c>); without a listener they cost a null check.
/// </summary>
public static class JobTelemetry
{
    public const string SourceName = "Dragon.Platform";
    public const string JobIdTag = "dragon.job.id";
    public const string NodeIdTag = "dragon.node.id";

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly Meter Meter = new(SourceName);

    /// <summary>How long each kind of background step took, in seconds, tagged with its kind and outcome.</summary>
    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("dragon.work.duration", "s", "Duration of a background step (a job's start, aggregation, release; other work).");

    /// <summary>The size of what nodes upload, in bytes, tagged with the kind of upload.</summary>
    public static readonly Histogram<long> UploadSize = Meter.CreateHistogram<long>("dragon.job.upload.size", "By", "Size of a node's upload to a job (commitment digest, ciphertext, decryption share).");

    /// <summary>Jobs that ended, tagged with how (released, failed, cancelled).</summary>
    public static readonly Counter<long> JobsEnded = Meter.CreateCounter<long>("dragon.jobs.ended", "{job}", "Jobs that reached an end state.");
}
