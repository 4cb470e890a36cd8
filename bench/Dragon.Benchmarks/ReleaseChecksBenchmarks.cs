using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Node.Data;
using Dragon.Node.Jobs;
using Dragon.Node.Privacy;

namespace Dragon.Benchmarks;

/// <summary>
/// What output privacy adds to a node's work for one job, against the local vector it computes anyway (the baseline,
/// the Ratio column): the noise shares of a differentially private mean, and an exact mean's checks with no earlier
/// selection and with ten (given the job's consent and filter, which the local vector computed). The job is the
/// wall-time benchmark's: the mean CRP of patients aged 40 or more.
/// </summary>
[MemoryDiagnoser(false)]
public class ReleaseChecksBenchmarks
{
    private const string Purpose = "DUO:0000006";
    private static readonly Guid Cohort = Guid.NewGuid();
    private static readonly AggregationSpec Mean = new("mean", "crp");

    private readonly Dictionary<string, VariableDefinition> _variables = new(StringComparer.Ordinal)
    {
        ["age"] = new VariableDefinition("age", "Age", "integer", "years", null, 0, 120),
        ["crp"] = new VariableDefinition("crp", "CRP", "decimal", "mg/L", null, 0, 1000),
    };

    private LocalRecord[] _records = null!;
    private FilterCondition[] _filter = null!;
    private JobTaskSpec _job = null!;
    private ExactChecks _none = null!;
    private ExactChecks _ten = null!;
    private double[] _variances = null!;
    private bool[] _filtered = null!;

    [Params(100_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _records = [.. Enumerable.Range(0, Records).Select(i => new LocalRecord($"pt-{i}", new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["age"] = (long)random.Next(18, 96),
            ["crp"] = random.Next(8) == 0 ? null : random.Next(0, 30_000) / 100m,
        }))];
        _filter = [AgeAtLeast(40)];
        _job = new JobTaskSpec(Guid.NewGuid(), Guid.NewGuid(), [Cohort], Purpose, _filter, Mean, 0, 2, 3, []);
        _none = new ExactChecks([], 2);
        _ten = new ExactChecks([.. Enumerable.Range(0, 10).Select(i => new PriorSelection(Guid.NewGuid(), Purpose, [Cohort], [AgeAtLeast(30 + i)], Mean))], 2);
        var layout = _variables.ToDictionary(v => v.Key, v => new LayoutVariable(v.Key, v.Value.Type!, null, v.Value.Min, v.Value.Max), StringComparer.Ordinal);
        _variances = NoiseCalibration.NodeVariances(Mean, layout, 0.02, 3);
        var matches = RecordFilter.Compile(_filter, _variables);
        _filtered = [.. _records.Select(matches)];
    }

    [Benchmark(Baseline = true, Description = "local vector (filter, mean)")]
    public long[] LocalVectorOnly() => LocalVector.Compute(Mean, 2, _records.Where(RecordFilter.Compile(_filter, _variables)), _variables);

    [Benchmark(Description = "dp: noise shares of the vector")]
    public long[] NoiseShares()
    {
        long[] vector = [0, 0, 0];
        NoiseShare.Add(vector, _variances, RandomSource.Secure);
        return vector;
    }

    [Benchmark(Description = "exact: checks, no earlier selection")]
    public long[] ExactChecksNone() => ExactCheckVector.Compute(_job, _none, Cohort, _records, _filtered, (_, _) => true, _variables);

    [Benchmark(Description = "exact: checks, ten earlier selections")]
    public long[] ExactChecksTen() => ExactCheckVector.Compute(_job, _ten, Cohort, _records, _filtered, (_, _) => true, _variables);

    private static FilterCondition AgeAtLeast(int age) => new("age", "ge", JsonSerializer.SerializeToElement(age));
}
