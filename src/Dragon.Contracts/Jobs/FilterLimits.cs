namespace Dragon.Contracts.Jobs;

/// <summary>
/// How large a job's filter may be: every node evaluates each condition (and each value of an <c>in</c> list) at each
/// record, for the job and for every earlier selection an exact job compares with, so the platform refuses larger
/// filters at submission and nodes refuse manifests that carry them.
/// </summary>
public static class FilterLimits
{
    public const int MaxConditions = 20;

    public const int MaxInValues = 100;

    /// <summary>Whether a filter is within the limits: at most <see cref="MaxConditions"/> conditions, <c>in</c> lists of at most <see cref="MaxInValues"/> values.</summary>
    public static bool Within(IReadOnlyList<FilterCondition?>? filter) =>
        filter is null || (filter.Count <= MaxConditions
            && filter.All(c => c?.Value is not { ValueKind: System.Text.Json.JsonValueKind.Array } list || list.GetArrayLength() <= MaxInValues));
}
