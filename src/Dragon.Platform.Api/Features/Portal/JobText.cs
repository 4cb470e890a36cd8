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
            "glm" => $"{aggregation.Family switch { "binomial" => "Logistic", "poisson" => "Poisson", _ => "Linear" }} regression of {aggregation.Outcome} on {string.Join(", ", aggregation.Covariates ?? [])}",
            _ => $"{char.ToUpperInvariant(aggregation.Kind?[0] ?? '?')}{aggregation.Kind?[1..]} of {aggregation.Variable}",
        };
    }

    /// <summary>A coefficient, statistic or p-value with the precision a model table shows: six significant digits, in exponent form when tiny.</summary>
    public static string Estimate(double value) =>
        value != 0 && Math.Abs(value) < 1e-4 ? value.ToString("0.####e+0", System.Globalization.CultureInfo.InvariantCulture) : value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);

    public static string Filter(FilterCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return $"{condition.Variable} {condition.Op} {condition.Value.GetRawText()}";
    }
}
