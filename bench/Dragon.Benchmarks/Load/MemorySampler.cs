using System.Globalization;

namespace Dragon.Benchmarks.Load;

/// <summary>The resident memory of a process (Linux <c>/proc</c>), sampled every second: at the start, at its peak, at the end.</summary>
public sealed class MemorySampler : IDisposable
{
    private readonly int _processId;
    private readonly Timer _timer;
    private readonly long _first;
    private long _peak;
    private long _last;

    public MemorySampler(int processId)
    {
        _processId = processId;
        _first = _peak = _last = ResidentBytes();
        _timer = new Timer(_ => Sample(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public string Summary() =>
        string.Create(CultureInfo.InvariantCulture, $"{Megabytes(_first)} MB at the start, {Megabytes(Interlocked.Read(ref _peak))} MB at the peak, {Megabytes(Interlocked.Read(ref _last))} MB at the end");

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        var now = ResidentBytes();
        Interlocked.Exchange(ref _last, now);
        if (now > Interlocked.Read(ref _peak))
        {
            Interlocked.Exchange(ref _peak, now);
        }
    }

    /// <summary>VmRSS from <c>/proc/{pid}/status</c>; 0 where there is no such file.</summary>
    private long ResidentBytes()
    {
        var path = $"/proc/{_processId}/status";
        if (!File.Exists(path))
        {
            return 0;
        }
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static long Megabytes(long bytes) => bytes / (1024 * 1024);
}
