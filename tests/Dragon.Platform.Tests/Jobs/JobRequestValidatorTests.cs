using Dragon.Contracts.Jobs;
using Dragon.Platform.Access;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Common;
using Dragon.Platform.Jobs;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>The checks of a job request that need no database: the size of a crosstab, filters on categories, and models.</summary>
public sealed class JobRequestValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(100, 100, 1, false)]
    [InlineData(100, 100, 2, true)]
    [InlineData(30, 30, 30, true)]
    [InlineData(20, 20, 20, false)]
    public void Crosstab_WithMoreCellsThanTheCap_IsRefused(int first, int second, int third, bool refused)
    {
        var (request, agreement, keySet, cohort) = Crosstab(first, second, third, ["a", "b", "c"]);

        var errors = JobRequestValidator.Validate(request, agreement, keySet, [cohort], Now).ToDictionary();

        Assert.Equal(refused, errors.TryGetValue("aggregation.groupBy", out var messages) && messages.Any(m => m.Contains("at most", StringComparison.Ordinal)));
        Assert.Equal(refused ? 1 : 0, errors.Count);
    }

    [Fact]
    public void Crosstab_WithANullVariable_IsAFieldErrorNotAnException()
    {
        var (request, agreement, keySet, cohort) = Crosstab(3, 3, 3, ["a", null!]);

        var errors = JobRequestValidator.Validate(request, agreement, keySet, [cohort], Now).ToDictionary();

        Assert.NotEmpty(errors["aggregation.groupBy"]);
    }

    [Theory]
    [InlineData("eq", "\"a1\"", false)]
    [InlineData("lt", "\"a2\"", false)]
    [InlineData("in", "[\"a0\", \"a2\"]", false)]
    [InlineData("eq", "\"A1\"", true)]
    [InlineData("in", "[\"a0\", \"nope\"]", true)]
    [InlineData("eq", "1", true)]
    public void Filter_OnACategoricalVariable_TakesOnlyItsCategories(string op, string json, bool refused)
    {
        var (request, agreement, keySet, cohort) = Crosstab(3, 3, 3, ["a"]);
        request = request with { Filter = [new FilterCondition("a", op, System.Text.Json.JsonDocument.Parse(json).RootElement.Clone())] };

        var errors = JobRequestValidator.Validate(request, agreement, keySet, [cohort], Now).ToDictionary();

        Assert.Equal(refused, errors.ContainsKey("filter[0].value"));
    }

    public static TheoryData<string, AggregationSpec, string?> Models => new()
    {
        { "logistic", new AggregationSpec("glm", Family: "binomial", Outcome: "died", Covariates: ["age", "crp", "icu", "sex"]), null },
        { "probit", new AggregationSpec("glm", Family: "binomial", Link: "probit", Outcome: "died", Covariates: ["age"]), null },
        { "poisson with offset", new AggregationSpec("glm", Family: "poisson", Outcome: "days", Covariates: ["age"], Offset: "crp"), null },
        { "gaussian", new AggregationSpec("glm", Family: "gaussian", Outcome: "crp", Covariates: ["age", "sex"], MaxIterations: 100, Tolerance: 1e-12), null },
        { "unknown family", new AggregationSpec("glm", Family: "gamma", Outcome: "crp", Covariates: ["age"]), "aggregation.family" },
        { "link of another family", new AggregationSpec("glm", Family: "gaussian", Link: "logit", Outcome: "crp", Covariates: ["age"]), "aggregation.family" },
        { "binomial of two categories", new AggregationSpec("glm", Family: "binomial", Outcome: "sex", Covariates: ["age"]), null },
        { "binomial of forty categories", new AggregationSpec("glm", Family: "binomial", Outcome: "ward", Covariates: ["age"]), "aggregation.outcome" },
        { "binomial of a number", new AggregationSpec("glm", Family: "binomial", Outcome: "age", Covariates: ["crp"]), "aggregation.outcome" },
        { "poisson of a decimal", new AggregationSpec("glm", Family: "poisson", Outcome: "crp", Covariates: ["age"]), "aggregation.outcome" },
        { "no covariates", new AggregationSpec("glm", Family: "gaussian", Outcome: "crp", Covariates: []), "aggregation.covariates" },
        { "outcome as covariate", new AggregationSpec("glm", Family: "gaussian", Outcome: "crp", Covariates: ["crp"]), "aggregation.covariates" },
        { "date covariate", new AggregationSpec("glm", Family: "gaussian", Outcome: "crp", Covariates: ["admitted"]), "aggregation.covariates" },
        { "variable outside the agreement", new AggregationSpec("glm", Family: "gaussian", Outcome: "crp", Covariates: ["secret"]), "aggregation.covariates" },
        { "too many parameters", new AggregationSpec("glm", Family: "gaussian", Outcome: "crp", Covariates: ["ward"]), "aggregation.covariates" },
        { "categorical offset", new AggregationSpec("glm", Family: "poisson", Outcome: "days", Covariates: ["age"], Offset: "sex"), "aggregation.offset" },
        { "no iterations", new AggregationSpec("glm", Family: "gaussian", Outcome: "crp", Covariates: ["age"], MaxIterations: 0), "aggregation.maxIterations" },
        { "too many iterations", new AggregationSpec("glm", Family: "gaussian", Outcome: "crp", Covariates: ["age"], MaxIterations: 101), "aggregation.maxIterations" },
        { "tolerance zero", new AggregationSpec("glm", Family: "gaussian", Outcome: "crp", Covariates: ["age"], Tolerance: 0), "aggregation.tolerance" },
        { "tolerance NaN", new AggregationSpec("glm", Family: "gaussian", Outcome: "crp", Covariates: ["age"], Tolerance: double.NaN), "aggregation.tolerance" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_IsCheckedAgainstTheAgreementAndTheVariables(string name, AggregationSpec model, string? refusedField)
    {
        var (request, agreement, keySet, cohort) = Model(model);

        var errors = JobRequestValidator.Validate(request, agreement, keySet, [cohort], Now).ToDictionary();

        Assert.True(refusedField is null ? errors.Count == 0 : errors.ContainsKey(refusedField) && errors.Count == 1,
            $"{name}: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
    }

    [Fact]
    public void PrivateModel_OfABinaryOutcomeOnUnboundedAge_IsRefusedNamingAge_AndTakesNoTolerance()
    {
        static FieldErrors Validate(AggregationSpec spec)
        {
            var (request, agreement, keySet, cohort) = Model(spec, Dragon.Contracts.Privacy.ReleaseModes.Dp);
            return JobRequestValidator.Validate(request, agreement, keySet, [cohort], Now);
        }

        var unbounded = Validate(new AggregationSpec("glm", Family: "binomial", Outcome: "died", Covariates: ["age", "icu", "sex"])).ToDictionary();
        var withTolerance = Validate(new AggregationSpec("glm", Family: "binomial", Outcome: "died", Covariates: ["icu"], Tolerance: 1e-8)).ToDictionary();
        var booleans = Validate(new AggregationSpec("glm", Family: "binomial", Outcome: "died", Covariates: ["icu", "sex"]));

        Assert.StartsWith("'age' has no declared bounds", Assert.Single(unbounded["aggregation"]), StringComparison.Ordinal);
        Assert.Contains("tolerance", Assert.Single(withTolerance["aggregation.tolerance"]), StringComparison.Ordinal);
        Assert.False(booleans.Any);
    }

    [Theory]
    [InlineData(20, 100, null)]
    [InlineData(21, 1, "filter")]
    [InlineData(1, 101, "filter[0].value")]
    public void Filter_WithTooManyConditionsOrInValues_IsRefused(int conditions, int inValues, string? field)
    {
        var (request, agreement, keySet, cohort) = Model(new AggregationSpec("count"));
        var values = System.Text.Json.JsonSerializer.SerializeToElement(Enumerable.Range(0, inValues).ToArray());
        var filter = Enumerable.Range(0, conditions).Select(i => new FilterCondition("age", i == 0 ? "in" : "ge", i == 0 ? values : System.Text.Json.JsonSerializer.SerializeToElement(i))).ToList();

        var errors = JobRequestValidator.Validate(request with { Filter = filter }, agreement, keySet, [cohort], Now).ToDictionary();

        Assert.Equal(field is null ? [] : [field], errors.Keys);
    }

    private static (JobRequest, Agreement, KeySet, Cohort) Model(AggregationSpec model, string releaseMode = Dragon.Contracts.Privacy.ReleaseModes.Exact) =>
        Request(model, releaseMode, "bfv-8192", ["age", "crp", "days", "icu", "died", "admitted", "sex", "ward"],
            Variable("age", VariableType.Integer), Variable("crp", VariableType.Decimal), Variable("days", VariableType.Integer), Variable("icu", VariableType.Boolean),
            Variable("died", VariableType.Boolean), Variable("admitted", VariableType.Date), Variable("secret", VariableType.Integer),
            Categorical("sex", 2), Categorical("ward", 40));

    private static (JobRequest, Agreement, KeySet, Cohort) Crosstab(int first, int second, int third, string[] groupBy) =>
        Request(new AggregationSpec("crosstab", GroupBy: groupBy), Dragon.Contracts.Privacy.ReleaseModes.Dp, "bfv-4096", ["a", "b", "c"],
            Categorical("a", first), Categorical("b", second), Categorical("c", third));

    /// <summary>A request for <paramref name="aggregation"/> over one cohort of these variables, under an active agreement allowing its kind and <paramref name="allowed"/>.</summary>
    private static (JobRequest, Agreement, KeySet, Cohort) Request(
        AggregationSpec aggregation, string releaseMode, string parameters, List<string> allowed, params CohortVariable[] variables)
    {
        var node = Guid.NewGuid();
        var cohort = new Cohort { Id = Guid.NewGuid(), Name = "c", Description = "d", Population = "p", NodeId = node, Variables = [.. variables] };
        var agreement = new Agreement
        {
            Purpose = "DUO:0000006",
            CohortIds = [cohort.Id],
            Variables = allowed,
            Aggregations = [aggregation.Kind!],
            ExpiresAt = Now.AddDays(1),
            PrivacyBudget = 1,
            Status = AgreementStatus.Active,
            ReleaseMode = releaseMode,
        };
        var keySet = new KeySet { Parameters = parameters, CommonSeed = [], Status = KeySetStatus.Ready, Members = [new KeySetMember { NodeId = node }] };
        return (new JobRequest(agreement.Id, keySet.Id, [cohort.Id], null, aggregation), agreement, keySet, cohort);
    }

    private static CohortVariable Variable(string name, VariableType type) => new() { Name = name, Label = name, Type = type };

    private static CohortVariable Categorical(string name, int categories) => new()
    {
        Name = name,
        Label = name,
        Type = VariableType.Categorical,
        Categories = [.. Enumerable.Range(0, categories).Select(i => $"{name}{i}")],
    };
}
