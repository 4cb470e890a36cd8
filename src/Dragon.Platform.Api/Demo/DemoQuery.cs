using System.Text.Json;
using Dragon.Contracts.Jobs;

namespace Dragon.Platform.Api.Demo;

/// <summary>A question the demo researcher asks the consortium: one of each aggregation kind.</summary>
public sealed record DemoQuery(string Title, AggregationSpec Aggregation, IReadOnlyList<FilterCondition>? Filter = null)
{
    public static IReadOnlyList<DemoQuery> OneOfEachKind { get; } =
    [
        new("Consenting admissions", new AggregationSpec("count")),
        new("Sum of CT severity scores of ICU patients", new AggregationSpec("sum", "ct_severity"), [Condition("icu", "eq", true)]),
        new("Mean CRP at admission (mg/L) of patients who died", new AggregationSpec("mean", "crp"), [Condition("outcome", "eq", "deceased")]),
        new("Variance of age at admission (years squared)", new AggregationSpec("variance", "age")),
        new("Admissions by CT severity score", new AggregationSpec("histogram", "ct_severity", [0, 5, 10, 15, 20, 26])),
        new("Outcome by ICU admission", new AggregationSpec("crosstab", GroupBy: ["icu", "outcome"])),
    ];

    /// <summary>The DRAGON question as a model: death by age, CT severity, CRP and ICU admission (released exactly: models are not yet differentially private).</summary>
    public static DemoQuery DeathModel { get; } = new("Logistic regression of death on age, CT severity, CRP and ICU admission",
        new AggregationSpec("glm", Family: "binomial", Outcome: "outcome", Covariates: ["age", "ct_severity", "crp", "icu"]));

    public JobRequest ToRequest(Guid agreementId, Guid keySetId, IReadOnlyList<Guid> cohortIds) =>
        new(agreementId, keySetId, cohortIds, Filter, Aggregation);

    private static FilterCondition Condition<T>(string variable, string op, T value) =>
        new(variable, op, JsonSerializer.SerializeToElement(value));
}
