using Dragon.Contracts.Access;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Common;
using Dragon.Platform.Policies;

namespace Dragon.Platform.Access;

/// <summary>
/// Checks a request against the catalogue: every variable must exist in every requested cohort, and each
/// cohort's data use must allow the purpose.
/// </summary>
public static class AccessRequestValidator
{
    /// <summary>Two cohorts for each node of the largest key set (<see cref="Jobs.KeySets.MaxNodes"/>), so one agreement can cover a whole consortium.</summary>
    public const int MaxCohorts = 2 * Jobs.KeySets.MaxNodes;

    public static Result<ValidAccessRequest> Validate(
        AccessRequestBody body, IReadOnlyDictionary<Guid, Cohort> cohorts, DataUsePolicy dataUse, DisclosurePolicy disclosure)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(cohorts);
        ArgumentNullException.ThrowIfNull(dataUse);
        ArgumentNullException.ThrowIfNull(disclosure);
        var errors = new FieldErrors();
        var title = Text.Required(body.Title, "title", 3, 200, errors);
        var justification = Text.Required(body.Justification, "justification", 20, 5000, errors);
        var purpose = dataUse.Normalize(body.Purpose) ?? "";
        var purposeKnown = dataUse.Find(purpose)?.Kind == DataUseTermKind.Permission;
        if (!purposeKnown)
        {
            errors.Add("purpose", "purpose must be a DUO data use permission code or its shorthand, such as DUO:0000007 or DS.");
        }
        var cohortIds = body.CohortIds?.Distinct().ToList() ?? [];
        if (cohortIds.Count is 0 or > MaxCohorts)
        {
            errors.Add("cohortIds", $"cohortIds must list 1 to {MaxCohorts} cohorts.");
        }
        foreach (var missing in cohortIds.Where(id => !cohorts.ContainsKey(id)))
        {
            errors.Add("cohortIds", $"Cohort {missing} does not exist.");
        }
        var variables = body.Variables?.Where(v => v is not null).Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (variables.Count is 0 or > 100)
        {
            errors.Add("variables", "variables must list 1 to 100 variables.");
        }
        var aggregations = body.Aggregations?.Where(a => a is not null).Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (aggregations.Count == 0 || aggregations.Any(a => !disclosure.Aggregations.Contains(a)))
        {
            errors.Add("aggregations", $"aggregations must list some of {string.Join(", ", disclosure.Aggregations)}.");
        }
        if (body.DurationDays is not { } days || days < 1 || days > disclosure.MaxDurationDays)
        {
            errors.Add("durationDays", $"durationDays must be between 1 and {disclosure.MaxDurationDays}.");
        }
        foreach (var id in cohortIds.Where(cohorts.ContainsKey))
        {
            var cohort = cohorts[id];
            foreach (var variable in variables.Where(v => cohort.Variables.All(cv => cv.Name != v)))
            {
                errors.Add("variables", $"Cohort '{cohort.Name}' has no variable '{variable}'.");
            }
            if (purposeKnown && !dataUse.Covers(cohort.DataUse, purpose))
            {
                errors.Add("purpose", $"Cohort '{cohort.Name}' does not allow {purpose} ({dataUse.Find(purpose)?.Label}).");
            }
        }
        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        return new ValidAccessRequest(title, purpose, cohortIds, variables, aggregations, justification, body.DurationDays!.Value);
    }
}

public sealed record ValidAccessRequest(
    string Title, string Purpose, List<Guid> CohortIds, List<string> Variables, List<string> Aggregations, string Justification, int DurationDays);
