using Dragon.Platform.Policies;

namespace Dragon.Platform.Access;

/// <summary>
/// <c>policies/disclosure.json</c>: disclosure control and the defaults of new agreements. Each job spends
/// <see cref="CostPerRelease"/> of its agreement's privacy budget and of its researcher's budget on each of its
/// cohorts (<see cref="ResearcherCohortBudget"/>, capped across all their agreements), charged when it is submitted.
/// </summary>
/// <remarks>
/// Budgets and costs are zCDP rho: a differentially private job's noise is calibrated so that its release spends
/// <see cref="CostPerRelease"/>. <see cref="Delta"/> is only for showing budgets as (epsilon, delta).
/// </remarks>
public sealed record DisclosurePolicy(
    int MinCellCount, double DefaultPrivacyBudget, double CostPerRelease, int MaxDurationDays, IReadOnlyList<string> Aggregations, double ResearcherCohortBudget,
    double Delta = DisclosurePolicy.DefaultDelta)
{
    public const double DefaultDelta = 1e-6;

    public const string FileName = "disclosure.json";

    /// <summary>Slack for sums of fractional costs, so that budget / cost releases fit exactly.</summary>
    public const double BudgetTolerance = 1e-9;

    public static DisclosurePolicy Load(string policyDirectory) =>
        PolicyFile.Load(policyDirectory, FileName, "disclosure", root =>
        {
            var agreement = root.GetProperty("agreement");
            var policy = new DisclosurePolicy(
                root.GetProperty("minCellCount").GetInt32(),
                agreement.GetProperty("privacyBudget").GetDouble(),
                agreement.GetProperty("costPerRelease").GetDouble(),
                agreement.GetProperty("maxDurationDays").GetInt32(),
                [.. root.GetProperty("aggregations").EnumerateArray().Select(a => a.GetString() ?? "")],
                agreement.GetProperty("researcherCohortBudget").GetDouble(),
                agreement.TryGetProperty("delta", out var delta) ? delta.GetDouble() : DefaultDelta);
            if (policy.MinCellCount < 1 || policy.DefaultPrivacyBudget <= 0 || policy.CostPerRelease <= 0 || policy.CostPerRelease > policy.DefaultPrivacyBudget
                || policy.ResearcherCohortBudget < policy.CostPerRelease || policy.MaxDurationDays < 1 || policy.Aggregations.Count == 0
                || policy.Delta is <= 0 or >= 1e-3)
            {
                throw new PolicyException($"policy.disclosure.out_of_range: {FileName}: minCellCount and maxDurationDays must be 1 or more, privacyBudget positive, costPerRelease positive and at most privacyBudget and researcherCohortBudget, aggregations listed, delta in (0, 0.001).");
            }
            return policy;
        });
}
