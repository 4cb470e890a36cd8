using Dragon.Platform.Policies;

namespace Dragon.Platform.Access;

/// <summary><c>policies/disclosure.json</c>: disclosure control and the defaults of new agreements.</summary>
public sealed record DisclosurePolicy(int MinCellCount, double DefaultPrivacyBudget, int MaxDurationDays, IReadOnlyList<string> Aggregations)
{
    public const string FileName = "disclosure.json";

    public static DisclosurePolicy Load(string policyDirectory) =>
        PolicyFile.Load(policyDirectory, FileName, "disclosure", root =>
        {
            var agreement = root.GetProperty("agreement");
            var policy = new DisclosurePolicy(
                root.GetProperty("minCellCount").GetInt32(),
                agreement.GetProperty("privacyBudget").GetDouble(),
                agreement.GetProperty("maxDurationDays").GetInt32(),
                [.. root.GetProperty("aggregations").EnumerateArray().Select(a => a.GetString() ?? "")]);
            if (policy.MinCellCount < 1 || policy.DefaultPrivacyBudget <= 0 || policy.MaxDurationDays < 1 || policy.Aggregations.Count == 0)
            {
                throw new PolicyException($"policy.disclosure.out_of_range: {FileName}: minCellCount and maxDurationDays must be 1 or more, privacyBudget positive, aggregations listed.");
            }
            return policy;
        });
}
