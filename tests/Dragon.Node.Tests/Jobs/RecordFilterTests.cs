using System.Text.Json;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Jobs;
using Dragon.Node.Cli;
using Dragon.Node.Data;
using Dragon.Node.Jobs;
using Dragon.Node.Tests.Data;

namespace Dragon.Node.Tests.Jobs;

/// <summary>
/// One condition at a time on a record holding age 40, crp 12.5, sex male, icu true, admitted 2020-03-14: each row
/// says whether the condition holds, as the plain comparison of the two values says.
/// </summary>
public sealed class RecordFilterTests
{
    private static readonly IReadOnlyDictionary<string, VariableDefinition> Variables = CohortVariables.All.ToDictionary(v => v.Name!, StringComparer.Ordinal);

    private static readonly LocalRecord Record = RecordOf("40", "12.5", "male", "true", "2020-03-14");

    private static readonly LocalRecord Missing = RecordOf("", "", "", "", "");

    [Theory]
    [InlineData("age", "eq", "40", true)]
    [InlineData("age", "eq", "41", false)]
    [InlineData("age", "ne", "41", true)]
    [InlineData("age", "ne", "40", false)]
    [InlineData("age", "lt", "41", true)]
    [InlineData("age", "lt", "40", false)]
    [InlineData("age", "le", "40", true)]
    [InlineData("age", "le", "39", false)]
    [InlineData("age", "gt", "39", true)]
    [InlineData("age", "gt", "40", false)]
    [InlineData("age", "ge", "40", true)]
    [InlineData("age", "ge", "41", false)]
    [InlineData("age", "lt", "40.5", true)]
    [InlineData("age", "in", "[30, 40, 50]", true)]
    [InlineData("age", "in", "[30, 50]", false)]
    [InlineData("crp", "eq", "12.5", true)]
    [InlineData("crp", "eq", "12.50", true)]
    [InlineData("crp", "eq", "12.51", false)]
    [InlineData("crp", "ne", "12.49", true)]
    [InlineData("crp", "ne", "12.5", false)]
    [InlineData("crp", "lt", "12.51", true)]
    [InlineData("crp", "lt", "12.5", false)]
    [InlineData("crp", "le", "12.5", true)]
    [InlineData("crp", "le", "12.49", false)]
    [InlineData("crp", "gt", "12", true)]
    [InlineData("crp", "gt", "12.5", false)]
    [InlineData("crp", "ge", "12.5", true)]
    [InlineData("crp", "ge", "1.25e1", true)]
    [InlineData("crp", "ge", "13", false)]
    [InlineData("crp", "in", "[1, 12.5]", true)]
    [InlineData("crp", "in", "[]", false)]
    [InlineData("sex", "eq", "\"male\"", true)]
    [InlineData("sex", "eq", "\"female\"", false)]
    [InlineData("sex", "eq", "\"Male\"", false)]
    [InlineData("sex", "ne", "\"female\"", true)]
    [InlineData("sex", "ne", "\"male\"", false)]
    [InlineData("sex", "lt", "\"female\"", false)]
    [InlineData("sex", "le", "\"male\"", true)]
    [InlineData("sex", "gt", "\"female\"", true)]
    [InlineData("sex", "gt", "\"male\"", false)]
    [InlineData("sex", "ge", "\"male\"", true)]
    [InlineData("sex", "in", "[\"female\", \"male\"]", true)]
    [InlineData("sex", "in", "[\"female\"]", false)]
    [InlineData("icu", "eq", "true", true)]
    [InlineData("icu", "eq", "false", false)]
    [InlineData("icu", "ne", "false", true)]
    [InlineData("icu", "ne", "true", false)]
    [InlineData("icu", "gt", "false", true)]
    [InlineData("icu", "ge", "true", true)]
    [InlineData("icu", "lt", "true", false)]
    [InlineData("icu", "le", "true", true)]
    [InlineData("icu", "in", "[true]", true)]
    [InlineData("icu", "in", "[false]", false)]
    [InlineData("admitted", "eq", "\"2020-03-14\"", true)]
    [InlineData("admitted", "eq", "\"2020-03-15\"", false)]
    [InlineData("admitted", "ne", "\"2020-03-15\"", true)]
    [InlineData("admitted", "ne", "\"2020-03-14\"", false)]
    [InlineData("admitted", "lt", "\"2020-03-15\"", true)]
    [InlineData("admitted", "lt", "\"2020-03-14\"", false)]
    [InlineData("admitted", "le", "\"2020-03-14\"", true)]
    [InlineData("admitted", "le", "\"2020-03-13\"", false)]
    [InlineData("admitted", "gt", "\"2019-12-31\"", true)]
    [InlineData("admitted", "gt", "\"2020-03-14\"", false)]
    [InlineData("admitted", "ge", "\"2020-03-14\"", true)]
    [InlineData("admitted", "ge", "\"2021-01-01\"", false)]
    [InlineData("admitted", "in", "[\"2020-01-01\", \"2020-03-14\"]", true)]
    [InlineData("admitted", "in", "[\"2020-01-01\"]", false)]
    public void Matches_OneCondition_HoldsAsThePlainComparisonSays(string variable, string op, string value, bool expected) =>
        Assert.Equal(expected, RecordFilter.Matches(Record, [Condition(variable, op, value)], Variables));

    [Theory]
    [InlineData("age", "eq", "40")]
    [InlineData("age", "ne", "40")]
    [InlineData("age", "lt", "1000")]
    [InlineData("age", "ge", "-1000")]
    [InlineData("crp", "ne", "12.5")]
    [InlineData("crp", "le", "1e6")]
    [InlineData("crp", "gt", "-1e6")]
    [InlineData("sex", "ne", "\"female\"")]
    [InlineData("sex", "in", "[\"female\", \"male\"]")]
    [InlineData("icu", "eq", "false")]
    [InlineData("icu", "ne", "true")]
    [InlineData("icu", "in", "[true, false]")]
    [InlineData("admitted", "ne", "\"2020-03-14\"")]
    [InlineData("admitted", "lt", "\"9999-12-31\"")]
    [InlineData("admitted", "gt", "\"0001-01-01\"")]
    public void Matches_MissingValue_FailsEveryCondition(string variable, string op, string value) =>
        Assert.False(RecordFilter.Matches(Missing, [Condition(variable, op, value)], Variables));

    [Fact]
    public void Matches_SeveralConditions_HoldsOnlyWhenEveryOneHolds()
    {
        Assert.True(RecordFilter.Matches(Record, [Condition("age", "ge", "40"), Condition("sex", "eq", "\"male\""), Condition("icu", "eq", "true")], Variables));
        Assert.False(RecordFilter.Matches(Record, [Condition("age", "ge", "40"), Condition("sex", "eq", "\"female\""), Condition("icu", "eq", "true")], Variables));
    }

    [Theory]
    [InlineData("lt", "\"female\"", true)]
    [InlineData("le", "\"male\"", true)]
    [InlineData("gt", "\"female\"", false)]
    [InlineData("ge", "\"female\"", false)]
    public void Matches_CategoricalOrder_FollowsTheDeclaredCategoriesNotTheAlphabet(string op, string value, bool expected)
    {
        var maleFirst = new Dictionary<string, VariableDefinition>(Variables, StringComparer.Ordinal)
        {
            ["sex"] = new("sex", "Sex", "categorical", Categories: ["male", "female"]),
        };

        Assert.Equal(expected, RecordFilter.Matches(Record, [Condition("sex", op, value)], maleFirst));
    }

    [Theory]
    [InlineData("lt")]
    [InlineData("ge")]
    public void Matches_ARecordsCategoryTheJobDoesNotKnow_IsInNoRange(string op)
    {
        var femaleOnly = new Dictionary<string, VariableDefinition>(Variables, StringComparer.Ordinal)
        {
            ["sex"] = new("sex", "Sex", "categorical", Categories: ["female"]),
        };

        Assert.False(RecordFilter.Matches(Record, [Condition("sex", op, "\"female\"")], femaleOnly));
    }

    [Fact]
    public void Matches_NoCondition_Holds() =>
        Assert.True(RecordFilter.Matches(Missing, [], Variables));

    [Theory]
    [InlineData("weight", "eq", "40", "variable 'weight'")]
    [InlineData("age", "like", "40", "unknown operator 'like'")]
    [InlineData("age", "in", "40", "'in' without an array")]
    [InlineData("age", "eq", "\"forty\"", "value of the wrong type")]
    [InlineData("icu", "eq", "1", "value of the wrong type")]
    [InlineData("admitted", "lt", "\"14/03/2020\"", "value of the wrong type")]
    [InlineData("sex", "eq", "1", "value of the wrong type")]
    [InlineData("sex", "lt", "\"mb\"", "not one of its categories")]
    public void Matches_ConditionItCannotApply_ThrowsSayingWhy(string variable, string op, string value, string reason)
    {
        var failure = Assert.Throws<NodeException>(() => RecordFilter.Matches(Record, [Condition(variable, op, value)], Variables));

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_RefusesAConditionItCannotApply_BeforeSeeingAnyRecord_AndThenMatchesAsMatchesDoes()
    {
        Assert.Throws<NodeException>(() => RecordFilter.Compile([Condition("age", "eq", "\"forty\"")], Variables));

        var compiled = RecordFilter.Compile([Condition("age", "ge", "40"), Condition("sex", "in", "[\"male\"]")], Variables);

        Assert.Equal((true, false), (compiled(Record), compiled(Missing)));
    }

    private static FilterCondition Condition(string variable, string op, string json)
    {
        using var document = JsonDocument.Parse(json);
        return new FilterCondition(variable, op, document.RootElement.Clone());
    }

    private static LocalRecord RecordOf(params string[] texts)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (variable, text) in CohortVariables.All.Zip(texts))
        {
            Assert.Null(VariableValues.TryParse(variable, text, out var value));
            values[variable.Name!] = value;
        }
        return new LocalRecord("pt-1", values);
    }
}
