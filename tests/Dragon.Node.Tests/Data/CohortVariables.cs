using Dragon.Contracts.Catalogue;

namespace Dragon.Node.Tests.Data;

/// <summary>One variable of every type, as a cohort declares them.</summary>
internal static class CohortVariables
{
    public static readonly IReadOnlyList<VariableDefinition> All =
    [
        new("age", "Age at admission", "integer", "years"),
        new("crp", "C-reactive protein", "decimal", "mg/L"),
        new("sex", "Sex", "categorical", Categories: ["female", "male"]),
        new("icu", "Admitted to ICU", "boolean"),
        new("admitted", "Date of admission", "date"),
    ];
}
