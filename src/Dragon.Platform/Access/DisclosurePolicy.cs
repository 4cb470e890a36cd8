using Dragon.Platform.Policies;

namespace Dragon.Platform.Access;

/// <summary>
/// <c>policies/disclosure.json</c>: disclosure control and the defaults of new agreements. Each job spends
/// <see cref="CostPerRelease"/> of its agreement's privacy budget and of its researcher's budget on each of its
/// cohorts (<see cref="ResearcherCohortBudget"/>, capped across all their agreements), charged when it is submitted.
/// </summary>
public sealed record DisclosurePolicy(
    int MinCellCount, double DefaultPrivacyBudget, double CostPerRelease, int MaxDurationDays, IReadOnlyList<string> Aggregations, double ResearcherCohortBudget)
{
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
                agreement.GetProperty("researcherCohortBudget").GetDouble());
            if (policy.MinCellCount < 1 || policy.DefaultPrivacyBudget <= 0 || policy.CostPerRelease <= 0 || policy.CostPerRelease > policy.DefaultPrivacyBudget
                || policy.ResearcherCohortBudget < policy.CostPerRelease || policy.MaxDurationDays < 1 || policy.Aggregations.Count == 0)
            {
                throw new PolicyException($"policy.disclosure.out_of_range: {FileName}: minCellCount and maxDurationDays must be 1 or more, privacyBudget positive, costPerRelease positive and at most privacyBudget and researcherCohortBudget, aggregations listed.");
            }
            return policy;
        });
}
