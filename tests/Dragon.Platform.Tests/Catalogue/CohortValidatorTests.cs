using Dragon.Contracts.Catalogue;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Policies;

namespace Dragon.Platform.Tests.Catalogue;

public sealed class CohortValidatorTests
{
    private static readonly DataUsePolicy DataUse = DataUsePolicy.Load(new PolicyOptions().ResolveDirectory());

    [Fact]
    public void Validate_ValidCohort_NormalisesAndSucceeds()
    {
        var result = CohortValidator.Validate(CohortSamples.Valid("x") with { Name = "  Trimmed name  " }, DataUse);

        Assert.True(result.Succeeded);
        Assert.Equal("Trimmed name", result.Value.Name);
        Assert.Equal(VariableType.Categorical, result.Value.Variables.Single(v => v.Name == "sex").Type);
    }

    public static TheoryData<string, CohortRequest> InvalidCohorts() => new()
    {
        { "name", CohortSamples.Valid("x") with { Name = null } },
        { "name", CohortSamples.Valid("x") with { Name = "ab" } },
        { "name", CohortSamples.Valid("x") with { Name = "line\nbreak" } },
        { "description", CohortSamples.Valid("x") with { Description = new string('d', 4001) } },
        { "countries", CohortSamples.Valid("x") with { Countries = [] } },
        { "countries[0]", CohortSamples.Valid("x") with { Countries = ["nl"] } },
        { "countries[0]", CohortSamples.Valid("x") with { Countries = ["XX"] } },
        { "countries", CohortSamples.Valid("x") with { Countries = ["NL", "NL"] } },
        { "size", CohortSamples.Valid("x") with { Size = null } },
        { "size", CohortSamples.Valid("x") with { Size = -1 } },
        { "dataUse", CohortSamples.Valid("x") with { DataUse = null } },
        { "dataUse[0]", CohortSamples.Valid("x") with { DataUse = ["XYZ"] } },
        { "dataUse", CohortSamples.Valid("x") with { DataUse = ["DUO:0000019"] } },
        { "variables", CohortSamples.Valid("x") with { Variables = [] } },
        { "variables[0].name", CohortSamples.Valid("x") with { Variables = [new VariableDefinition("Age", "Age", "integer")] } },
        { "variables[0].name", CohortSamples.Valid("x") with { Variables = [new VariableDefinition("subject_ref", "Subject", "integer")] } },
        { "variables[1].name", CohortSamples.Valid("x") with { Variables = [new VariableDefinition("age", "Age", "integer"), new VariableDefinition("age", "Age", "decimal")] } },
        { "variables[0].label", CohortSamples.Valid("x") with { Variables = [new VariableDefinition("age", "", "integer")] } },
        { "variables[0].type", CohortSamples.Valid("x") with { Variables = [new VariableDefinition("age", "Age", "Integer")] } },
        { "variables[0].type", CohortSamples.Valid("x") with { Variables = [new VariableDefinition("age", "Age", null)] } },
        { "variables[0].categories", CohortSamples.Valid("x") with { Variables = [new VariableDefinition("sex", "Sex", "categorical")] } },
        { "variables[0].categories", CohortSamples.Valid("x") with { Variables = [new VariableDefinition("sex", "Sex", "categorical", null, ["f", "f"])] } },
        { "variables[0].categories", CohortSamples.Valid("x") with { Variables = [new VariableDefinition("age", "Age", "integer", null, ["1"])] } },
    };

    [Theory]
    [MemberData(nameof(InvalidCohorts))]
    public void Validate_InvalidField_ReportsThatField(string field, CohortRequest request)
    {
        var result = CohortValidator.Validate(request, DataUse);

        Assert.False(result.Succeeded);
        Assert.Equal([field], result.Error.Fields!.Keys);
    }

    [Fact]
    public void Validate_TooManyVariables_IsRefused()
    {
        var variables = Enumerable.Range(0, CohortValidator.MaxVariables + 1)
            .Select(i => new VariableDefinition($"v{i}", $"V{i}", "integer")).ToList();

        var result = CohortValidator.Validate(CohortSamples.Valid("x") with { Variables = variables }, DataUse);

        Assert.Equal(["variables"], result.Error!.Fields!.Keys);
    }
}
