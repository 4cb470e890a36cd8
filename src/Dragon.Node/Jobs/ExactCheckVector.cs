using System.Text.Json;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Node.Data;

namespace Dragon.Node.Jobs;

/// <summary>
/// The numbers an exact job's vector ends with, over one cohort of this node, in the order of <see cref="ExactCheckSlots"/>:
/// the selected records that add nothing to the aggregation (missing); for each prior selection, the records the job selects
/// that it did not and those it selected that the job does not; and the sum of this node's largest magnitudes and of all
/// magnitudes of the aggregated variable (dominance), in the job's fixed point. A record is selected by a job when its
/// subject consents to the job's purpose and it passes the filter; when the two jobs aggregate the same variables, it
/// must also <see cref="LocalVector.Contributes">contribute</see> (a sum over five records, four of them missing the
/// value, singles out the fifth), otherwise the comparison is of the filters alone (a sum of one variable less a mean
/// of another singles out nobody).
/// </summary>
public static class ExactCheckVector
{
    /// <param name="filtered">For each record, whether its subject consents to the job's purpose and it passes the job's filter (as the vector took it).</param>
    /// <param name="consents">Whether a record's subject consents to a purpose.</param>
    public static long[] Compute(JobTaskSpec job, ExactChecks checks, Guid cohortId, IReadOnlyList<LocalRecord> records, IReadOnlyList<bool> filtered,
        Func<LocalRecord, string, bool> consents, IReadOnlyDictionary<string, VariableDefinition> variables)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(filtered);
        ArgumentNullException.ThrowIfNull(consents);
        var selected = records.Select((r, i) => filtered[i] && LocalVector.Contributes(job.Aggregation, r, variables)).ToArray();
        var numbers = new List<long>();
        if (job.Aggregation.Kind != "count")
        {
            numbers.Add(filtered.Zip(selected).LongCount(p => p.First && !p.Second));
        }
        // Up to a thousand prior selections over every record: each distinct one is counted once, and each purpose's
        // consents are looked up once, so a researcher repeating a query does not multiply the node's work.
        var consenting = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        var counted = new Dictionary<string, (long NewNotOld, long OldNotNew)>(StringComparer.Ordinal);
        foreach (var prior in checks.Prior)
        {
            var sameVariables = Variables(prior.Aggregation).SetEquals(Variables(job.Aggregation));
            var held = prior.CohortIds.Contains(cohortId);
            var key = string.Join('\n', held, sameVariables, prior.Purpose, JsonSerializer.Serialize(prior.Filter), sameVariables ? JsonSerializer.Serialize(prior.Aggregation) : "");
            if (!counted.TryGetValue(key, out var differences))
            {
                var now = sameVariables ? selected : filtered;
                var priorMatches = RecordFilter.Compile(prior.Filter, variables);
                var consented = held ? Consenting(prior.Purpose) : [];
                long newNotOld = 0;
                long oldNotNew = 0;
                for (var i = 0; i < records.Count; i++)
                {
                    var r = records[i];
                    var old = held && consented[i] && priorMatches(r) && (!sameVariables || LocalVector.Contributes(prior.Aggregation, r, variables));
                    newNotOld += now[i] && !old ? 1 : 0;
                    oldNotNew += old && !now[i] ? 1 : 0;
                }
                differences = (newNotOld, oldNotNew);
                counted[key] = differences;
            }
            numbers.Add(differences.NewNotOld);
            numbers.Add(differences.OldNotNew);
        }
        if (ExactCheckSlots.HasDominance(job.Aggregation, checks))
        {
            var magnitudes = LocalVector.ClippedValues(job.Aggregation.Variable, records.Where((_, i) => selected[i]), variables)
                .Select(v => LocalVector.Scale(Math.Abs(v), job.DecimalPlaces)).OrderDescending().ToList();
            numbers.Add(checked(magnitudes.Take(checks.DominanceTop).Sum()));
            numbers.Add(checked(magnitudes.Sum()));
        }
        return [.. numbers];

        bool[] Consenting(string purpose)
        {
            if (!consenting.TryGetValue(purpose, out var consented))
            {
                consented = [.. records.Select(r => consents(r, purpose))];
                consenting[purpose] = consented;
            }
            return consented;
        }
    }

    private static HashSet<string> Variables(AggregationSpec spec) => [.. spec.ReadVariables()];
}
