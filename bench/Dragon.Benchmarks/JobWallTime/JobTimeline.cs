using System.Globalization;
using System.Text;

namespace Dragon.Benchmarks.JobWallTime;

/// <summary>
/// When the researcher, polling every <see cref="EncryptedConsortium.ResultPollInterval"/>, first saw each step of one
/// job, in milliseconds from the submission: a measured breakdown of the wall time (to within one poll).
/// </summary>
public sealed class JobTimeline
{
    public static readonly string[] Steps = ["submitted", "all committed", "all contributed", "aggregated", "all shares in", "released"];

    private readonly double?[] _at = new double?[Steps.Length];

    /// <summary>Records <paramref name="step"/> at <paramref name="milliseconds"/> unless it was already seen.</summary>
    public void See(int step, double milliseconds) => _at[step] ??= milliseconds;

    /// <summary>The median duration of each step over <paramref name="timelines"/> (a step seen late counts from the step before it).</summary>
    public static string Summary(IReadOnlyList<JobTimeline> timelines)
    {
        ArgumentNullException.ThrowIfNull(timelines);
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"// job timeline, median of {timelines.Count} jobs (ms):"));
        for (var step = 0; step < Steps.Length; step++)
        {
            var durations = timelines.Select(t => t.Duration(step)).Where(d => d is not null).Select(d => d!.Value).Order().ToList();
            var median = durations.Count == 0 ? double.NaN : durations[durations.Count / 2];
            text.Append(CultureInfo.InvariantCulture, $" {Steps[step]} +{median:F0};");
        }
        return text.ToString();
    }

    private double? Duration(int step)
    {
        var previous = step == 0 ? 0 : _at[..step].LastOrDefault(a => a is not null) ?? 0;
        return _at[step] - previous;
    }
}
