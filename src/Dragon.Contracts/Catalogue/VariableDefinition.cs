namespace Dragon.Contracts.Catalogue;

/// <summary>One variable a cohort holds per subject.</summary>
/// <param name="Type">One of <c>integer</c>, <c>decimal</c>, <c>categorical</c>, <c>boolean</c>, <c>date</c>.</param>
/// <param name="Categories">The allowed values of a categorical variable; absent otherwise.</param>
/// <param name="Min">The declared lowest value of a numeric variable (with <paramref name="Max"/>, or neither): nodes clip
/// values below it, and differentially private sums calibrate their noise to the bounds.</param>
/// <param name="Max">The declared highest value of a numeric variable.</param>
public sealed record VariableDefinition(
    string? Name,
    string? Label,
    string? Type,
    string? Unit = null,
    IReadOnlyList<string>? Categories = null,
    decimal? Min = null,
    decimal? Max = null);
