using System.Globalization;
using System.Text.Json;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Api.Demo;

namespace Dragon.EndToEnd.Tests.Infrastructure;

/// <summary>One cell of a statistic computed in plain text: its group key, its value, and how many records it stands on.</summary>
public sealed record PlainCell(string Group, double Value, int Records);

/// <summary>
/// The statistic a job should release, computed in plain text over the union of the hospitals' files minus
/// every patient without a granted consent: what the encrypted protocol must reproduce.
/// </summary>
public static class PlainStatistics
{
    public static IReadOnlyList<PlainCell> Compute(AggregationSpec aggregation, IReadOnlyList<FilterCondition>? filter, IEnumerable<CovidPatient> patients)
    {
        ArgumentNullException.ThrowIfNull(aggregation);
        var records = patients.Where(p => p.Consent == "granted" && (filter ?? []).All(c => Holds(c, p))).ToList();
        switch (aggregation.Kind)
        {
            case "count":
                return [new("", records.Count, records.Count)];
            case "sum":
                return [new("", records.Sum(p => Clipped(p, aggregation.Variable!)), records.Count)];
            case "mean":
                return [new("", records.Count == 0 ? double.NaN : records.Average(p => Clipped(p, aggregation.Variable!)), records.Count)];
            case "variance":
                var values = records.Select(p => Clipped(p, aggregation.Variable!)).ToList();
                var mean = values.Count == 0 ? 0 : values.Average();
                return [new("", values.Count < 2 ? double.NaN : values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1), values.Count)];
            case "histogram":
                var bins = aggregation.Bins!;
                return [.. Enumerable.Range(0, bins.Count - 1).Select(i =>
                {
                    var n = records.Count(p => Number(p, aggregation.Variable!) >= bins[i] && Number(p, aggregation.Variable!) < bins[i + 1]);
                    return new PlainCell(GroupKey(new Dictionary<string, string> { [aggregation.Variable!] = AggregationLayout.BinLabel(bins[i], bins[i + 1]) }), n, n);
                })];
            case "crosstab":
                return [.. records.GroupBy(p => GroupKey(aggregation.GroupBy!.ToDictionary(v => v, v => Label(p, v))))
                    .Select(g => new PlainCell(g.Key, g.Count(), g.Count()))];
            default:
                throw new ArgumentException($"Unknown aggregation kind '{aggregation.Kind}'.", nameof(aggregation));
        }
    }

    /// <summary>A cell's group as one comparable string: <c>var=label</c> pairs in name order.</summary>
    public static string GroupKey(IReadOnlyDictionary<string, string> group) =>
        string.Join("|", group.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Value}"));

    private static bool Holds(FilterCondition condition, CovidPatient patient)
    {
        var actual = Value(patient, condition.Variable!);
        return condition.Op switch
        {
            "in" => condition.Value.EnumerateArray().Any(v => Order(actual, v) == 0),
            "eq" => Order(actual, condition.Value) == 0,
            "ne" => Order(actual, condition.Value) != 0,
            "lt" => Order(actual, condition.Value) < 0,
            "le" => Order(actual, condition.Value) <= 0,
            "gt" => Order(actual, condition.Value) > 0,
            "ge" => Order(actual, condition.Value) >= 0,
            _ => throw new ArgumentException($"Unknown operator '{condition.Op}'.", nameof(condition)),
        };
    }

    private static int Order(object actual, JsonElement value) => actual switch
    {
        bool b => b.CompareTo(value.GetBoolean()),
        string s => string.CompareOrdinal(s, value.GetString()),
        _ => Convert.ToDouble(actual, CultureInfo.InvariantCulture).CompareTo(value.GetDouble()),
    };

    /// <summary>The value clipped to the variable's declared bounds, as the nodes clip it before summing.</summary>
    private static double Clipped(CovidPatient patient, string variable)
    {
        var declared = CovidCohort.Variables.Single(v => v.Name == variable);
        var value = Number(patient, variable);
        return declared is { Min: { } min, Max: { } max } ? Math.Clamp(value, (double)min, (double)max) : value;
    }

    private static double Number(CovidPatient patient, string variable) => Convert.ToDouble(Value(patient, variable), CultureInfo.InvariantCulture);

    private static string Label(CovidPatient patient, string variable) => Value(patient, variable) switch
    {
        bool b => b ? "true" : "false",
        var other => Convert.ToString(other, CultureInfo.InvariantCulture)!,
    };

    private static object Value(CovidPatient patient, string variable) => variable switch
    {
        "age" => patient.Age,
        "sex" => patient.Sex,
        "ct_severity" => patient.CtSeverity,
        "icu" => patient.Icu,
        "outcome" => patient.Outcome,
        "crp" => patient.Crp,
        _ => throw new ArgumentException($"The synthetic cohort has no variable '{variable}'.", nameof(variable)),
    };
}
