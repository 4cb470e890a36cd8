using Dragon.Contracts.Jobs;
using Dragon.Platform.Api.Features.Portal;

namespace Dragon.Platform.Tests.Portal;

public sealed class BarChartTests
{
    private static readonly DateTimeOffset Released = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Histogram_BarsScaleToTheLargestValue_AndSuppressedCellsHaveNoBar()
    {
        var result = new JobResult("histogram",
        [
            new ResultCell(new Dictionary<string, string> { ["age"] = "[0,40)" }, 10, false),
            new ResultCell(new Dictionary<string, string> { ["age"] = "[40,60)" }, null, true),
            new ResultCell(new Dictionary<string, string> { ["age"] = "[60,80)" }, 20, false),
        ], Released);

        var chart = BarChart.From(result, new AggregationSpec("histogram", "age", [0, 40, 60, 80]))!;

        Assert.Equal("Number of records by age", chart.Title);
        Assert.Equal(["[0,40)", "[40,60)", "[60,80)"], chart.Bars.Select(b => b.Label));
        Assert.Equal(["107", "0", "214"], chart.Bars.Select(b => b.BarWidth));
        Assert.Equal(["10", "suppressed", "20"], chart.Bars.Select(b => b.ValueText));
        Assert.True(chart.Bars[1].Suppressed);
    }

    [Fact]
    public void NoisyHistogram_DrawsEachIntervalAsALine_ScaledWithTheBars_NegativeCountsWithoutBar()
    {
        var result = new JobResult("histogram",
        [
            new ResultCell(new Dictionary<string, string> { ["age"] = "[0,40)" }, 10, false, 5, new ResultInterval(0.2, 19.8)),
            new ResultCell(new Dictionary<string, string> { ["age"] = "[40,60)" }, -3, false, 5, new ResultInterval(-12.8, 6.8)),
        ], Released, "dp", 0.02);

        var chart = BarChart.From(result, new AggregationSpec("histogram", "age", [0, 40, 60]))!;

        // The widest point is the first interval's top (19.8): it ends at the right of the 214-unit plotting area.
        Assert.Equal(["132.2", "130"], chart.Bars.Select(b => b.WhiskerFrom));
        Assert.Equal(["344", "203.5"], chart.Bars.Select(b => b.WhiskerTo));
        Assert.Equal(["108.1", "0"], chart.Bars.Select(b => b.BarWidth));
        Assert.Equal(["10", "-3"], chart.Bars.Select(b => b.ValueText));
    }

    [Fact]
    public void Crosstab_LabelsJoinTheCategories_AndLongLabelsAreShortened()
    {
        var result = new JobResult("crosstab",
        [
            new ResultCell(new Dictionary<string, string> { ["sex"] = "female", ["icu"] = "true" }, 7, false),
            new ResultCell(new Dictionary<string, string> { ["sex"] = "a very long category name", ["icu"] = "false" }, 9, false),
        ], Released);

        var chart = BarChart.From(result, new AggregationSpec("crosstab", GroupBy: ["sex", "icu"]))!;

        Assert.Equal("Number of records by sex and icu", chart.Title);
        Assert.Equal("female / true", chart.Bars[0].Label);
        Assert.Equal("a very long categ…", chart.Bars[1].ShortLabel);
    }

    [Theory]
    [InlineData("count")]
    [InlineData("mean")]
    public void SingleNumberResults_HaveNoChart(string kind)
    {
        var result = new JobResult(kind, [new ResultCell(new Dictionary<string, string>(), 12, false)], Released);

        Assert.Null(BarChart.From(result, new AggregationSpec(kind, "age")));
    }
}
