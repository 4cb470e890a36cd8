using Dragon.Contracts.Jobs;

namespace Dragon.EndToEnd.Tests.Infrastructure;

/// <summary>Assertions that a released result is the plain-text statistic under disclosure control, or within its noise.</summary>
public static class ReleasedResult
{
    /// <summary>
    /// Every released value equals the plain one; a single statistic over fewer than the minimum records, and a
    /// table cell of 1 to minimum-1 records, is suppressed with a null value. Every group with records is in the
    /// table; a table with a small cell may suppress more (secondary suppression), one without suppresses nothing.
    /// </summary>
    public static void AssertEquals(IReadOnlyList<PlainCell> expected, JobResponse job, string logs)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(job);
        Assert.True(job.Status == "released", $"Job {job.Id} ended {job.Status}: {job.Failure}\n{logs}");
        if (job.Result!.ReleaseMode == "dp")
        {
            AssertWithinNoise(expected, job);
            return;
        }
        var cells = job.Result!.Cells;
        Assert.All(cells, c => Assert.Equal(c.Suppressed, c.Value is null));
        if (job.Aggregation.Kind is "histogram" or "crosstab")
        {
            var plain = expected.ToDictionary(c => c.Group, c => c.Value);
            var released = cells.Select(c => PlainStatistics.GroupKey(c.Group)).ToHashSet();
            Assert.All(expected.Where(c => c.Value > 0), c => Assert.Contains(c.Group, released));
            if (!expected.Any(c => c.Value is > 0 and < Consortium.MinCellCount))
            {
                Assert.All(cells, c => Assert.False(c.Suppressed, $"{PlainStatistics.GroupKey(c.Group)} was suppressed though no cell is small."));
            }
            foreach (var cell in cells)
            {
                var value = plain.GetValueOrDefault(PlainStatistics.GroupKey(cell.Group));
                if (value is > 0 and < Consortium.MinCellCount)
                {
                    Assert.True(cell.Suppressed, $"The cell {PlainStatistics.GroupKey(cell.Group)} of {value} records was released.");
                }
                else if (!cell.Suppressed)
                {
                    Assert.Equal(value, cell.Value!.Value);
                }
            }
            return;
        }
        var single = Assert.Single(cells);
        var statistic = Assert.Single(expected);
        if (statistic.Records < Consortium.MinCellCount)
        {
            Assert.True(single.Suppressed, $"A {job.Aggregation.Kind} over {statistic.Records} records was released.");
            return;
        }
        Assert.False(single.Suppressed);
        Assert.Equal(statistic.Value, single.Value!.Value, 1e-6 * Math.Max(1, Math.Abs(statistic.Value)));
    }

    /// <summary>
    /// A differentially private release: every cell is within 6 of its noise scales of the plain value (a false alarm
    /// below 2e-9 per Gaussian cell; the ratios' delta-method scales are close at these counts), and its interval is
    /// value plus or minus 1.96 noise scales.
    /// </summary>
    private static void AssertWithinNoise(IReadOnlyList<PlainCell> expected, JobResponse job)
    {
        var plain = expected.ToDictionary(c => c.Group, c => c.Value);
        foreach (var cell in job.Result!.Cells)
        {
            var truth = plain.GetValueOrDefault(job.Aggregation.Kind is "histogram" or "crosstab" ? PlainStatistics.GroupKey(cell.Group) : "");
            Assert.NotNull(cell.Value);
            var scale = Assert.IsType<double>(cell.NoiseScale);
            Assert.True(scale > 0 && Math.Abs(cell.Value!.Value - truth) <= 6 * scale,
                $"{job.Aggregation.Kind} {PlainStatistics.GroupKey(cell.Group)}: released {cell.Value}, plain {truth}, noise scale {scale}.");
            Assert.Equal(cell.Value.Value - (1.959964 * scale), cell.Interval!.Low, 1e-3 * scale);
            Assert.Equal(cell.Value.Value + (1.959964 * scale), cell.Interval.High, 1e-3 * scale);
        }
    }
}
