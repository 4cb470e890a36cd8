using CsCheck;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Jobs;
using Dragon.Node.Data;
using Dragon.Node.Jobs;
using Dragon.Node.Tests.Data;

namespace Dragon.Node.Tests.Jobs;

/// <summary>
/// Local vectors decoded through <see cref="AggregationLayout"/> (the platform's reading of them) give back the plain
/// statistic of the records: on fixed records, and on random cohorts with missing values.
/// </summary>
public sealed class LocalVectorTests
{
    private static readonly Dictionary<string, VariableDefinition> Variables = CohortVariables.All.ToDictionary(v => v.Name!, StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, LayoutVariable> LayoutVariables =
        CohortVariables.All.ToDictionary(v => v.Name!, v => new LayoutVariable(v.Name!, v.Type!, v.Categories), StringComparer.Ordinal);

    /// <summary>Records with age 18-95, crp 0.00-300.00 (two places), sex, icu; each value missing one time in eight.</summary>
    private static readonly Gen<LocalRecord[]> Cohorts = Gen.Select(
            Maybe(Gen.Int[18, 95].Select(v => (object)(long)v)),
            Maybe(Gen.Int[0, 30000].Select(v => (object)(v / 100m))),
            Maybe(Gen.Bool.Select(female => (object)(female ? "female" : "male"))),
            Maybe(Gen.Bool.Select(v => (object)v)),
            (age, crp, sex, icu) => (age, crp, sex, icu))
        .Array[0, 80]
        .Select(rows => rows.Select((r, i) => Record($"pt-{i}", r.age, r.crp, r.sex, r.icu)).ToArray());

    private static readonly string[] Numeric = ["age", "crp"];

    private static readonly LocalRecord[] Fixed =
    [
        Record("pt-1", 40L, 12.5m, "male", true),
        Record("pt-2", 60L, 0.25m, "female", false),
        Record("pt-3", 71L, null, "female", true),
        Record("pt-4", null, 100m, null, null),
        Record("pt-5", 18L, 7.75m, "male", false),
    ];

    [Theory]
    [InlineData("sum", "age", "[189, 4]")]
    [InlineData("sum", "crp", "[12050, 4]")]
    [InlineData("mean", "crp", "[12050, 4]")]
    [InlineData("variance", "age", "[189, 10565, 4]")]
    [InlineData("variance", "crp", "[12050, 102163750, 4]")]
    [InlineData("count", null, "[5]")]
    public void Compute_FixedRecords_LaysOutSumsSquaresAndCounts(string kind, string? variable, string expected)
    {
        var spec = new AggregationSpec(kind, variable);

        var vector = Compute(spec, Fixed);

        Assert.Equal(expected, "[" + string.Join(", ", vector) + "]");
    }

    [Theory]
    [InlineData("12.345", 1235)]
    [InlineData("-12.345", -1235)]
    [InlineData("0.004", 0)]
    [InlineData("0.005", 1)]
    public void Compute_DecimalWithMorePlacesThanTheLayout_RoundsHalfAwayFromZero(string crp, long scaled)
    {
        var vector = Compute(new AggregationSpec("sum", "crp"), [Record("pt-1", null, decimal.Parse(crp, System.Globalization.CultureInfo.InvariantCulture), null, null)]);

        Assert.Equal([scaled, 1], vector);
    }

    [Fact]
    public void Compute_RandomCohorts_SumDecodesToThePlainSumAndCount() =>
        Cohorts.Sample(records =>
        {
            foreach (var variable in Numeric)
            {
                var (vector, layout) = ComputeWithLayout(new AggregationSpec("sum", variable), records);
                var values = Values(records, variable);
                Assert.Equal(values.Sum(), vector[0] / Scale(layout.DecimalPlaces));
                Assert.Equal(values.Count, vector[1]);
            }
        }, iter: 200);

    [Fact]
    public void Compute_RandomCohorts_MeanDecodesToThePlainMean() =>
        Cohorts.Where(records => Values(records, "crp").Count > 0).Sample(records =>
        {
            var (vector, layout) = ComputeWithLayout(new AggregationSpec("mean", "crp"), records);
            var values = Values(records, "crp");
            Assert.Equal(values.Sum() / values.Count, vector[0] / Scale(layout.DecimalPlaces) / vector[1]);
        }, iter: 200);

    [Fact]
    public void Compute_RandomCohorts_VarianceDecodesToThePlainSampleVariance() =>
        Cohorts.Where(records => Values(records, "crp").Count > 1).Sample(records =>
        {
            var (vector, layout) = ComputeWithLayout(new AggregationSpec("variance", "crp"), records);
            var values = Values(records, "crp");
            var scale = Scale(layout.DecimalPlaces);
            var n = vector[2];
            var sum = vector[0] / scale;
            var squares = vector[1] / (scale * scale);
            Assert.Equal(values.Count, n);
            Assert.Equal(values.Sum(v => v * v), squares);
            var mean = values.Sum() / n;
            Assert.Equal(values.Sum(v => (v - mean) * (v - mean)) / (n - 1), (squares - (sum * sum / n)) / (n - 1), 15);
        }, iter: 200);

    [Fact]
    public void Compute_RandomCohorts_HistogramCountsEachValueInItsLabelledBin() =>
        Cohorts.Sample(records =>
        {
            var spec = new AggregationSpec("histogram", "crp", [0, 10, 50, 100.5, 300]);
            var (vector, layout) = ComputeWithLayout(spec, records);
            var values = Values(records, "crp");
            for (var i = 0; i < layout.Length; i++)
            {
                Assert.Equal(AggregationLayout.BinLabel(spec.Bins![i], spec.Bins[i + 1]), layout.Groups[i]["crp"]);
                var (from, to) = ((decimal)spec.Bins[i], (decimal)spec.Bins[i + 1]);
                Assert.Equal(values.Count(v => v >= from && v < to), vector[i]);
            }
            Assert.Equal(values.Count(v => v < 300), vector.Sum());
        }, iter: 200);

    [Fact]
    public void Compute_RandomCohorts_CrosstabCountsEachCombinationInItsLabelledCell() =>
        Cohorts.Sample(records =>
        {
            var (vector, layout) = ComputeWithLayout(new AggregationSpec("crosstab", GroupBy: ["sex", "icu"]), records);
            Assert.Equal(4, layout.Length);
            for (var i = 0; i < layout.Length; i++)
            {
                var group = layout.Groups[i];
                Assert.Equal(records.Count(r => r.Values["sex"] is string sex && sex == group["sex"] && r.Values["icu"] is bool icu && (icu ? "true" : "false") == group["icu"]), vector[i]);
            }
            Assert.Equal(records.Count(r => r.Values["sex"] is not null && r.Values["icu"] is not null), vector.Sum());
        }, iter: 200);

    [Fact]
    public void Compute_Crosstab_PutsTheFirstVariableSlowest()
    {
        var (vector, layout) = ComputeWithLayout(new AggregationSpec("crosstab", GroupBy: ["sex", "icu"]), Fixed);

        Assert.Equal(["female/true", "female/false", "male/true", "male/false"], layout.Groups.Select(g => $"{g["sex"]}/{g["icu"]}"));
        Assert.Equal([1, 1, 1, 1], vector);
    }

    private static Gen<object?> Maybe(Gen<object> value) =>
        Gen.Select(Gen.Int[0, 7], value, (missing, v) => missing == 0 ? null : (object?)v);

    private static long[] Compute(AggregationSpec spec, IEnumerable<LocalRecord> records) => ComputeWithLayout(spec, records).Vector;

    private static (long[] Vector, AggregationLayout Layout) ComputeWithLayout(AggregationSpec spec, IEnumerable<LocalRecord> records)
    {
        var layout = AggregationLayout.For(spec, LayoutVariables);
        var vector = LocalVector.Compute(spec, layout.DecimalPlaces, records, Variables);
        Assert.Equal(layout.Length, vector.Length);
        return (vector, layout);
    }

    private static List<decimal> Values(IEnumerable<LocalRecord> records, string variable) =>
        [.. records.Select(r => r.Values[variable]).Where(v => v is not null).Select(v => v is long l ? l : (decimal)v!)];

    [Fact]
    public void BoundedVariable_IsClippedToItsBounds_AndTheClippedValuesCounted()
    {
        var bounded = new Dictionary<string, VariableDefinition>(Variables, StringComparer.Ordinal) { ["crp"] = Variables["crp"] with { Min = 1m, Max = 50m } };
        var layout = AggregationLayout.For(new AggregationSpec("variance", "crp"), bounded.ToDictionary(v => v.Key, v => new LayoutVariable(v.Key, v.Value.Type!, v.Value.Categories, v.Value.Min, v.Value.Max), StringComparer.Ordinal));

        var vector = LocalVector.Compute(new AggregationSpec("variance", "crp"), 2, Fixed, bounded);
        var mean = LocalVector.Compute(new AggregationSpec("mean", "crp"), 2, Fixed, bounded);

        // crp 12.5, 0.25 -> 1, 100 -> 50, 7.75 (pt-3 has none): two clipped.
        Assert.Equal((4, 3), (layout.Length, layout.ClippedSlot));
        Assert.Equal([1250 + 100 + 5000 + 775, 1_562_500 + 10_000 + 25_000_000 + 600_625, 4, 2], vector);
        Assert.Equal([1250 + 100 + 5000 + 775, 4, 2], mean);
    }

    private static decimal Scale(int places) => places == 0 ? 1m : 100m;

    private static LocalRecord Record(string subject, object? age, object? crp, object? sex, object? icu) =>
        new(subject, new Dictionary<string, object?>(StringComparer.Ordinal) { ["age"] = age, ["crp"] = crp, ["sex"] = sex, ["icu"] = icu, ["admitted"] = null });
}
