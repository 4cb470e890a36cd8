using System.Text.Json;
using CsCheck;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Node.Data;
using Dragon.Node.Jobs;
using Dragon.Node.Tests.Data;

namespace Dragon.Node.Tests.Jobs;

/// <summary>
/// The never-released numbers of an exact job, computed by <see cref="ExactCheckVector"/> over random cohorts, equal the
/// same counts and sums taken independently as sets of subjects: missing values, the two differences with each prior
/// selection (its own purpose and cohorts), and the dominance sums.
/// </summary>
public sealed class ExactCheckVectorTests
{
    private const string Purpose = "DUO:0000006";
    private const string OtherPurpose = "DUO:0000007";
    private static readonly Guid Cohort = Guid.NewGuid();
    private static readonly Dictionary<string, VariableDefinition> Variables = CohortVariables.All.ToDictionary(v => v.Name!, StringComparer.Ordinal);

    /// <summary>Ages 18-95 and crp 0.00-300.00, each missing one time in six; a subject of an odd number has not consented to the other purpose.</summary>
    private static readonly Gen<LocalRecord[]> Cohorts = Gen.Select(Maybe(Gen.Int[18, 95].Select(v => (object)(long)v)), Maybe(Gen.Int[0, 30000].Select(v => (object)(v / 100m))))
        .Array[0, 60]
        .Select(rows => rows.Select((r, i) => new LocalRecord($"pt-{i}",
            new Dictionary<string, object?>(StringComparer.Ordinal) { ["age"] = r.Item1, ["crp"] = r.Item2, ["sex"] = null, ["icu"] = null, ["admitted"] = null })).ToArray());

    [Fact]
    public void Compute_RandomCohortsAndSelections_EqualsTheCountsAndSumsOverSetsOfSubjects() =>
        Gen.Select(Cohorts, Gen.Int[18, 96], Gen.Int[18, 96], Gen.Bool, Gen.Bool).Sample(sample =>
        {
            var (records, from, priorFrom, sameVariable, otherPurpose) = sample;
            var job = Job(new AggregationSpec("sum", "crp"), AgeAtLeast(from));
            var priorSpec = sameVariable ? new AggregationSpec("mean", "crp") : new AggregationSpec("count");
            var prior = new PriorSelection(Guid.NewGuid(), otherPurpose ? OtherPurpose : Purpose, [Cohort], AgeAtLeast(priorFrom), priorSpec);
            var foreign = new PriorSelection(Guid.NewGuid(), Purpose, [Guid.NewGuid()], [], new AggregationSpec("count"));

            var vector = ExactCheckVector.Compute(job, new ExactChecks([prior, foreign], 2), Cohort, records, Filtered(job, records), Consents, Variables);

            static long? Age(LocalRecord r) => r.Values["age"] as long?;
            static decimal? Crp(LocalRecord r) => r.Values["crp"] as decimal?;
            var filtered = records.Where(r => Age(r) >= from).Select(r => r.SubjectRef).ToHashSet();
            var selected = records.Where(r => Age(r) >= from && Crp(r) is not null).Select(r => r.SubjectRef).ToHashSet();
            var now = sameVariable ? selected : filtered;
            var old = records.Where(r => Age(r) >= priorFrom && (!sameVariable || Crp(r) is not null) && (!otherPurpose || Even(r)))
                .Select(r => r.SubjectRef).ToHashSet();
            var magnitudes = records.Where(r => selected.Contains(r.SubjectRef)).Select(r => (long)(Crp(r)!.Value * 100)).OrderDescending().ToList();
            // The foreign prior is over a cohort this node does not hold, and counts no variable: the job's filtered records are all new to it.
            long[] expected = [filtered.Count - selected.Count, now.Except(old).Count(), old.Except(now).Count(), filtered.Count, 0, magnitudes.Take(2).Sum(), magnitudes.Sum()];
            Assert.Equal(expected, vector);
            Assert.Equal(ExactCheckSlots.For(job.Aggregation, 2, new ExactChecks([prior, foreign], 2)).Length - 2, vector.Length);
        }, iter: 300);

    [Fact]
    public void Compute_RepeatedAndMixedPriorSelections_GiveEachTheNumbersItGetsAlone() =>
        Gen.Select(Cohorts, Gen.Int[18, 96].Array[1, 6], Gen.Bool.Array[6], Gen.Bool.Array[6]).Sample(sample =>
        {
            var (records, froms, sameVariables, otherPurposes) = sample;
            var job = Job(new AggregationSpec("sum", "crp"), AgeAtLeast(40));
            // Every prior appears twice, the second time as another job with the same selection.
            var distinct = froms.Select((from, i) => new PriorSelection(Guid.NewGuid(), otherPurposes[i] ? OtherPurpose : Purpose, [Cohort], AgeAtLeast(from),
                sameVariables[i] ? new AggregationSpec("mean", "crp") : new AggregationSpec("count"))).ToList();
            var priors = distinct.Concat(distinct.Select(p => p with { JobId = Guid.NewGuid() })).ToList();

            var vector = ExactCheckVector.Compute(job, new ExactChecks(priors, 2), Cohort, records, Filtered(job, records), Consents, Variables);

            var alone = priors.SelectMany(p => ExactCheckVector.Compute(job, new ExactChecks([p], 2), Cohort, records, Filtered(job, records), Consents, Variables)[1..3]);
            Assert.Equal(alone, vector[1..(1 + 2 * priors.Count)]);
        }, iter: 200);

    [Fact]
    public void Compute_CountJob_HasNoMissingNumberAndNoDominance()
    {
        LocalRecord[] records = [new("pt-0", new Dictionary<string, object?> { ["age"] = 40L, ["crp"] = null })];
        var job = Job(new AggregationSpec("count"), []);

        var vector = ExactCheckVector.Compute(job, new ExactChecks([], 2), Cohort, records, Filtered(job, records), Consents, Variables);

        Assert.Empty(vector);
        Assert.Equal(1, ExactCheckSlots.For(job.Aggregation, 1, new ExactChecks([], 2)).Length);
    }

    private static bool[] Filtered(JobTaskSpec job, LocalRecord[] records) =>
        [.. records.Select(r => Consents(r, job.Purpose) && RecordFilter.Matches(r, job.Filter, Variables))];

    private static bool Even(LocalRecord record) => int.Parse(record.SubjectRef[3..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0;

    private static bool Consents(LocalRecord record, string purpose) => purpose == Purpose || Even(record);

    private static JobTaskSpec Job(AggregationSpec aggregation, IReadOnlyList<FilterCondition> filter) =>
        new(Guid.NewGuid(), Guid.NewGuid(), [Cohort], Purpose, filter, aggregation, 0, aggregation.Variable == "crp" ? 2 : 0, 3, []);

    private static FilterCondition[] AgeAtLeast(int age) => [new("age", "ge", JsonSerializer.SerializeToElement(age, DragonJson.Options))];

    private static Gen<object?> Maybe(Gen<object> value) =>
        Gen.Select(Gen.Int[0, 5], value, (missing, v) => missing == 0 ? null : (object?)v);
}
