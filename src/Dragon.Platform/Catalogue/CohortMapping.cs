using Dragon.Contracts.Catalogue;

namespace Dragon.Platform.Catalogue;

internal static class CohortMapping
{
    public static CohortResponse ToResponse(Cohort cohort) => new(
        cohort.Id,
        cohort.Name,
        cohort.Description,
        cohort.Population,
        cohort.Countries,
        cohort.Size,
        cohort.DataUse,
        [.. cohort.Variables.OrderBy(v => v.Position).Select(ToDefinition)],
        cohort.Version,
        cohort.NodeId,
        [.. cohort.Stewards.Select(s => s.UserId).Order()],
        cohort.CreatedAt,
        cohort.UpdatedAt);

    private static VariableDefinition ToDefinition(CohortVariable variable) => new(
        variable.Name,
        variable.Label,
        CohortValidator.ToWireName(variable.Type),
        variable.Unit,
        variable.Type == VariableType.Categorical ? variable.Categories : null,
        variable.Min,
        variable.Max);
}
