namespace Dragon.Contracts.Catalogue;

/// <summary>One variable a cohort holds per subject.</summary>
/// <param name="Type">One of <c>integer</c>, <c>decimal</c>, <c>categorical</c>, <c>boolean</c>, <c>date</c>.</param>
/// <param name="Categories">The allowed values of a categorical variable; absent otherwise.</param>
public sealed record VariableDefinition(
    string? Name,
    string? Label,
    string? Type,
    string? Unit = null,
    IReadOnlyList<string>? Categories = null);
