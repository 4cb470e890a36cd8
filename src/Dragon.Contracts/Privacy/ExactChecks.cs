using Dragon.Contracts.Jobs;

namespace Dragon.Contracts.Privacy;

/// <summary>
/// An earlier exact job of the same researcher, over cohorts all among the new job's, that is released or may still be:
/// the records it selected, which each node selects again over its records now.
/// </summary>
public sealed record PriorSelection(Guid JobId, string Purpose, IReadOnlyList<Guid> CohortIds, IReadOnlyList<FilterCondition> Filter, AggregationSpec Aggregation);

/// <summary>
/// The checks an exact job's vector carries after its released numbers (<see cref="ExactCheckSlots"/>). The platform
/// decrypts them with the rest but never releases them: for each <see cref="Prior"/> selection, how many records the
/// job selects that it did not and the other way round (differencing); for a sum, mean or variance, the sum over nodes
/// of each node's <see cref="DominanceTop"/> largest magnitudes and the sum of all magnitudes (dominance).
/// </summary>
public sealed record ExactChecks(IReadOnlyList<PriorSelection> Prior, int DominanceTop)
{
    /// <summary>The most prior selections a node evaluates for one job.</summary>
    public const int MaxPrior = 1000;

    public const int MaxDominanceTop = 10;
}

/// <summary>
/// Where an exact job's checks sit in its vector, after the <paramref name="Released"/> numbers of its layout:
/// <paramref name="Missing"/> (every kind but count) is how many selected records lack the aggregated value or fall in
/// no bin or category, released under the minimum-cell rule; then two counts per prior selection from
/// <paramref name="Differencing"/>; then, for a sum, mean or variance, <paramref name="Dominance"/> [top magnitudes, all magnitudes].
/// </summary>
public sealed record ExactCheckSlots(int Released, int? Missing, int Differencing, int PriorCount, int? Dominance, int Length)
{
    public static ExactCheckSlots For(AggregationSpec spec, int releasedLength, ExactChecks? checks)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (checks is null)
        {
            return new(releasedLength, null, releasedLength, 0, null, releasedLength);
        }
        var next = releasedLength;
        int? missing = spec.Kind == "count" ? null : next++;
        var differencing = next;
        next += 2 * checks.Prior.Count;
        int? dominance = HasDominance(spec, checks) ? next : null;
        return new(releasedLength, missing, differencing, checks.Prior.Count, dominance, dominance is null ? next : next + 2);
    }

    public static bool HasDominance(AggregationSpec spec, ExactChecks checks)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(checks);
        return spec.Kind is "sum" or "mean" or "variance" && checks.DominanceTop > 0;
    }

    /// <summary>The slot of how many records the job selects that prior selection <paramref name="prior"/> did not.</summary>
    public int NewNotOld(int prior) => Differencing + (2 * prior);

    /// <summary>The slot of how many records prior selection <paramref name="prior"/> selected that the job does not.</summary>
    public int OldNotNew(int prior) => Differencing + (2 * prior) + 1;
}
