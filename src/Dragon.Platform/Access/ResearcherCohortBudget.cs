namespace Dragon.Platform.Access;

/// <summary>
/// What one researcher has spent on one cohort across all of their agreements, against the cap in
/// <c>policies/disclosure.json</c> (<see cref="DisclosurePolicy.ResearcherCohortBudget"/>): a fresh agreement starts a
/// fresh agreement budget, never a fresh cap.
/// </summary>
public sealed class ResearcherCohortBudget
{
    public Guid ResearcherId { get; init; }
    public Guid CohortId { get; init; }
    public double Spent { get; set; }
}
