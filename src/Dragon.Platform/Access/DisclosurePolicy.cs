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
    double Delta = DisclosurePolicy.DefaultDelta, ExactReleaseChecks? Exact = null, int MinSites = DisclosurePolicy.DefaultMinSites,
    int MinThreshold = DisclosurePolicy.DefaultMinThreshold, ModelRules? Models = null)
{
    /// <summary>The rules models are fitted under (<c>models</c> in the file), with the minimum cell count for their levels.</summary>
    public Contracts.Models.GlmRules GlmRules => new((Models ?? new ModelRules()).MinRecords, (Models ?? new ModelRules()).Saturation, MinCellCount);

    /// <summary>The fewest nodes a job under a t-of-N key set may go on with when others miss a deadline (<c>minSites</c>).</summary>
    public const int DefaultMinSites = 3;

    /// <summary>The smallest threshold a key set may have (<c>minThreshold</c>): fewer colluding members than it learn nothing.</summary>
    public const int DefaultMinThreshold = 2;

    /// <summary>The checks of exact releases (<c>exact</c> in the file): the defaults when it is absent.</summary>
    public ExactReleaseChecks ExactChecks => Exact ?? new ExactReleaseChecks();

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
                agreement.TryGetProperty("delta", out var delta) ? delta.GetDouble() : DefaultDelta,
                root.TryGetProperty("exact", out var exact) ? ExactReleaseChecks.Read(exact) : null,
                root.TryGetProperty("minSites", out var minSites) ? minSites.GetInt32() : DefaultMinSites,
                root.TryGetProperty("minThreshold", out var minThreshold) ? minThreshold.GetInt32() : DefaultMinThreshold,
                root.TryGetProperty("models", out var models) ? ModelRules.Read(models) : null);
            if (policy.MinCellCount < 1 || policy.DefaultPrivacyBudget <= 0 || policy.CostPerRelease <= 0 || policy.CostPerRelease > policy.DefaultPrivacyBudget
                || policy.ResearcherCohortBudget < policy.CostPerRelease || policy.MaxDurationDays < 1 || policy.Aggregations.Count == 0
                || policy.Delta is <= 0 or >= 1e-3 || policy.MinSites is < 2 or > 16 || policy.MinThreshold is < 2 or > 16)
            {
                throw new PolicyException($"policy.disclosure.out_of_range: {FileName}: minCellCount and maxDurationDays must be 1 or more, privacyBudget positive, costPerRelease positive and at most privacyBudget and researcherCohortBudget, aggregations listed, delta in (0, 0.001), minSites and minThreshold 2 to 16.");
            }
            return policy;
        });
}

/// <summary>
/// How exact releases are checked before release: each job is compared with the researcher's last
/// <paramref name="DifferencingWindow"/> exact jobs over its cohorts (differencing), and a sum, mean or variance is
/// suppressed when the nodes' <paramref name="DominanceTop"/> largest magnitudes make more than
/// <paramref name="DominanceShare"/> of the total (the n-k dominance rule).
/// </summary>
/// <remarks>
/// The default window, 150, is the researcher-cohort budget over the cost per release in the default policy: filler
/// jobs to push a job out of the window cost budget, and the window outlasts what the budget allows.
/// </remarks>
public sealed record ExactReleaseChecks(int DifferencingWindow = 150, int DominanceTop = 2, double DominanceShare = 0.85)
{
    public static ExactReleaseChecks Read(System.Text.Json.JsonElement exact)
    {
        var defaults = new ExactReleaseChecks();
        var dominance = exact.TryGetProperty("dominance", out var d) ? d : default;
        var checks = new ExactReleaseChecks(
            exact.TryGetProperty("differencingWindow", out var window) ? window.GetInt32() : defaults.DifferencingWindow,
            dominance.ValueKind == System.Text.Json.JsonValueKind.Object && dominance.TryGetProperty("top", out var top) ? top.GetInt32() : defaults.DominanceTop,
            dominance.ValueKind == System.Text.Json.JsonValueKind.Object && dominance.TryGetProperty("maxShare", out var share) ? share.GetDouble() : defaults.DominanceShare);
        return checks.DifferencingWindow is >= 0 and <= Dragon.Contracts.Privacy.ExactChecks.MaxPrior
            && checks.DominanceTop is >= 1 and <= Dragon.Contracts.Privacy.ExactChecks.MaxDominanceTop && checks.DominanceShare is > 0 and < 1
            ? checks
            : throw new PolicyException($"policy.disclosure.out_of_range: {DisclosurePolicy.FileName}: exact.differencingWindow must be 0 to {Dragon.Contracts.Privacy.ExactChecks.MaxPrior}, exact.dominance.top 1 to {Dragon.Contracts.Privacy.ExactChecks.MaxDominanceTop}, exact.dominance.maxShare above 0 and below 1.");
    }
}

/// <summary>
/// How models are refused before anything is released (<c>models</c> in the disclosure policy): a model needs at least
/// <paramref name="MinRecords"/> records and at most <paramref name="Saturation"/> parameters per record (DataSHIELD's
/// <c>nfilter.glm</c>, 0.33 by default), besides the minimum cell count for every level of its categorical covariates.
/// </summary>
public sealed record ModelRules(int MinRecords = 20, double Saturation = 0.33)
{
    public static ModelRules Read(System.Text.Json.JsonElement models)
    {
        var defaults = new ModelRules();
        var rules = new ModelRules(
            models.TryGetProperty("minRecords", out var minRecords) ? minRecords.GetInt32() : defaults.MinRecords,
            models.TryGetProperty("saturation", out var saturation) ? saturation.GetDouble() : defaults.Saturation);
        return rules.MinRecords >= 1 && rules.Saturation is > 0 and <= 1 ? rules
            : throw new PolicyException($"policy.disclosure.out_of_range: {DisclosurePolicy.FileName}: models.minRecords must be 1 or more and models.saturation in (0, 1].");
    }
}
