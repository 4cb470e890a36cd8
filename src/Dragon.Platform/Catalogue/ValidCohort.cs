namespace Dragon.Platform.Catalogue;

/// <summary>A cohort description that passed <see cref="CohortValidator"/>.</summary>
public sealed record ValidCohort(
    string Name,
    string Description,
    string Population,
    List<string> Countries,
    int Size,
    List<string> DataUse,
    List<CohortVariable> Variables);
