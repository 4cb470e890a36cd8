using Dragon.Contracts.Jobs;
using Dragon.Platform.Access;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Jobs;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>The checks of a job request that need no database: here, the size of a crosstab.</summary>
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

    private static (JobRequest, Agreement, KeySet, Cohort) Crosstab(int first, int second, int third, string[] groupBy)
    {
        var node = Guid.NewGuid();
        var cohort = new Cohort
        {
            Id = Guid.NewGuid(),
            Name = "c",
            Description = "d",
            Population = "p",
            NodeId = node,
            Variables = [Categorical("a", first), Categorical("b", second), Categorical("c", third)],
        };
        var agreement = new Agreement
        {
            Purpose = "DUO:0000006",
            CohortIds = [cohort.Id],
            Variables = ["a", "b", "c"],
            Aggregations = ["crosstab"],
            ExpiresAt = Now.AddDays(1),
            PrivacyBudget = 1,
            Status = AgreementStatus.Active,
        };
        var keySet = new KeySet { Parameters = "bfv-4096", CommonSeed = [], Status = KeySetStatus.Ready, Members = [new KeySetMember { NodeId = node }] };
        return (new JobRequest(agreement.Id, keySet.Id, [cohort.Id], null, new AggregationSpec("crosstab", GroupBy: groupBy)), agreement, keySet, cohort);
    }

    private static CohortVariable Categorical(string name, int categories) => new()
    {
        Name = name,
        Label = name,
        Type = VariableType.Categorical,
        Categories = [.. Enumerable.Range(0, categories).Select(i => $"{name}{i}")],
    };
}
