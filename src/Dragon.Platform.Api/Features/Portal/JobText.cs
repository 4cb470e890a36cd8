using Dragon.Contracts.Jobs;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>A job's query in words.</summary>
public static class JobText
{
    public static string Describe(AggregationSpec aggregation)
    {
        ArgumentNullException.ThrowIfNull(aggregation);
        return aggregation.Kind switch
        {
            "count" => "Count of records",
            "histogram" => $"Histogram of {aggregation.Variable}",
            "crosstab" => $"Cross-tabulation by {string.Join(" and ", aggregation.GroupBy ?? [])}",
            _ => $"{char.ToUpperInvariant(aggregation.Kind?[0] ?? '?')}{aggregation.Kind?[1..]} of {aggregation.Variable}",
        };
    }

    public static string Filter(FilterCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return $"{condition.Variable} {condition.Op} {condition.Value.GetRawText()}";
    }
}
