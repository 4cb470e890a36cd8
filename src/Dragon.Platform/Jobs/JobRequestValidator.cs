using System.Globalization;
using System.Text.Json;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;
using Dragon.Contracts.Privacy;
using Dragon.Platform.Access;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Common;

namespace Dragon.Platform.Jobs;

/// <summary>Checks a job against its agreement, its key set and the cohorts' variables before anything is stored.</summary>
public static class JobRequestValidator
{
    /// <summary>
    /// Far more cells than any release could show above the minimum cell count, and a vector every node can still
    /// encrypt and upload; three variables of 200 categories each would otherwise make eight million.
    /// </summary>
    public const int MaxCrosstabCells = 10_000;

    private static readonly string[] Ops = ["eq", "ne", "lt", "le", "gt", "ge", "in"];

    /// <param name="minContributors">Under a t-of-N key set, the fewest nodes the job may go on with (<see cref="Job.MinContributors"/>).</param>
    public static FieldErrors Validate(JobRequest request, Agreement agreement, KeySet keySet, IReadOnlyList<Cohort> cohorts, DateTimeOffset now, int minContributors = 0)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(keySet);
        ArgumentNullException.ThrowIfNull(cohorts);
        var errors = new FieldErrors();
        if (agreement.StatusAt(now) != AgreementStatus.Active)
        {
            errors.Add("agreementId", $"The agreement is {agreement.StatusAt(now).ToString().ToLowerInvariant()}.");
        }
        if (keySet.Status is KeySetStatus.Pending or KeySetStatus.Sharing)
        {
            errors.Add("keySetId", "The key set is not ready: every node must upload its share (and, for a t-of-N key set, deal its threshold shares) first.");
        }
        else if (keySet.Status == KeySetStatus.Retired)
        {
            errors.Add("keySetId", "The key set is retired: it has decrypted as many ciphertext parts as its smudging allows; create a new key set.");
        }
        var cohortIds = request.CohortIds ?? [];
        if (cohortIds.Count == 0 || cohortIds.Distinct().Count() != cohortIds.Count)
        {
            errors.Add("cohortIds", "cohortIds must list one or more different cohorts.");
        }
        foreach (var id in cohortIds.Where(id => !agreement.CohortIds.Contains(id)))
        {
            errors.Add("cohortIds", $"Cohort {id} is not covered by the agreement.");
        }
        foreach (var cohort in cohorts)
        {
            if (cohort.NodeId is not { } node || keySet.Members.All(m => m.NodeId != node))
            {
                errors.Add("cohortIds", $"Cohort '{cohort.Name}' is not held by a node of the key set.");
            }
        }
        if (cohorts.Select(c => c.NodeId).Distinct().Count() != cohorts.Count)
        {
            errors.Add("cohortIds", "Each participating node may contribute one cohort per job.");
        }
        if (!keySet.IsThreshold && keySet.Members.Any(m => cohorts.All(c => c.NodeId != m.NodeId)))
        {
            errors.Add("cohortIds", "Decryption needs every node of the key set: include a cohort of each of them, or use a key set of just these nodes.");
        }
        else if (keySet.IsThreshold && cohorts.Count < minContributors)
        {
            errors.Add("cohortIds", $"A job under this {keySet.EffectiveThreshold}-of-{keySet.Members.Count} key set needs cohorts of at least {minContributors} of its nodes " +
                "(the threshold and the policy's minSites), so that it can still be decrypted and released when some miss a deadline.");
        }
        var spec = request.Aggregation;
        if (spec?.Kind is null || !agreement.Aggregations.Contains(spec.Kind))
        {
            errors.Add("aggregation.kind", $"The agreement allows {string.Join(", ", agreement.Aggregations)}.");
            return errors;
        }
        var variables = Variables(cohorts);
        void RequireVariable(string? name, string field, params string[] types)
        {
            if (name is null || !agreement.Variables.Contains(name))
            {
                errors.Add(field, $"'{name}' is not a variable of the agreement.");
            }
            else if (!variables.TryGetValue(name, out var type) || !types.Contains(type.Type))
            {
                errors.Add(field, $"'{name}' must be {string.Join(" or ", types)} in every cohort.");
            }
        }
        switch (spec.Kind)
        {
            case "sum" or "mean" or "variance":
                RequireVariable(spec.Variable, "aggregation.variable", "integer", "decimal");
                if (agreement.ReleaseMode == ReleaseModes.Dp && spec.Variable is not null && variables.TryGetValue(spec.Variable, out var numeric) && !numeric.IsBounded)
                {
                    errors.Add("aggregation.variable", $"'{spec.Variable}' has no declared bounds (min and max) in every cohort; a differentially private {spec.Kind} calibrates its noise to them.");
                }
                break;
            case "histogram":
                RequireVariable(spec.Variable, "aggregation.variable", "integer", "decimal");
                if (spec.Bins is not { Count: >= 2 and <= 101 } bins || bins.Zip(bins.Skip(1)).Any(pair => pair.Second <= pair.First) || bins.Any(b => !double.IsFinite(b)))
                {
                    errors.Add("aggregation.bins", "bins must be 2 to 101 finite, strictly increasing edges.");
                }
                break;
            case "crosstab":
                if (spec.GroupBy is not { Count: >= 1 and <= 3 } groupBy || groupBy.Distinct().Count() != groupBy.Count)
                {
                    errors.Add("aggregation.groupBy", "groupBy must list 1 to 3 different variables.");
                    break;
                }
                foreach (var name in groupBy)
                {
                    RequireVariable(name, "aggregation.groupBy", "categorical", "boolean");
                }
                var cells = groupBy.Aggregate(1L, (product, name) => product * (name is not null && variables.TryGetValue(name, out var v) ? AggregationLayout.Categories(v).Count : 1));
                if (cells > MaxCrosstabCells)
                {
                    errors.Add("aggregation.groupBy", string.Create(CultureInfo.InvariantCulture,
                        $"A crosstab may have at most {MaxCrosstabCells} cells; these variables make {cells}."));
                }
                break;
        }
        if (spec.Kind == "glm")
        {
            ValidateModel(spec, agreement, variables, errors, (name, field, types) => RequireVariable(name, field, types));
        }
        var filter = request.Filter ?? [];
        if (filter.Count > FilterLimits.MaxConditions)
        {
            errors.Add("filter", $"filter may have at most {FilterLimits.MaxConditions} conditions.");
            filter = [];
        }
        for (var i = 0; i < filter.Count; i++)
        {
            var condition = filter[i];
            if (condition?.Value is { ValueKind: JsonValueKind.Array } values && values.GetArrayLength() > FilterLimits.MaxInValues)
            {
                errors.Add($"filter[{i}].value", $"in takes at most {FilterLimits.MaxInValues} values.");
                continue;
            }
            if (condition is null || condition.Op is null || !Ops.Contains(condition.Op))
            {
                errors.Add($"filter[{i}].op", $"op must be one of {string.Join(", ", Ops)}.");
                continue;
            }
            RequireVariable(condition.Variable, $"filter[{i}].variable", "integer", "decimal", "categorical", "boolean", "date");
            var isList = condition.Value.ValueKind == JsonValueKind.Array;
            if ((condition.Op == "in") != isList || condition.Value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object)
            {
                errors.Add($"filter[{i}].value", condition.Op == "in" ? "in takes an array of values." : "value must be a number, string or boolean.");
            }
            else if (condition.Variable is not null && variables.TryGetValue(condition.Variable, out var filtered) && filtered.Type == "categorical"
                && (isList ? condition.Value.EnumerateArray().ToList() : [condition.Value])
                    .Any(v => v.ValueKind != JsonValueKind.String || !filtered.Categories!.Contains(v.GetString()!)))
            {
                errors.Add($"filter[{i}].value", $"'{condition.Variable}' takes one of its categories: {string.Join(", ", filtered.Categories!)}.");
            }
        }
        return errors;
    }

    /// <summary>The most parameters (intercept and dummies included) a model may have.</summary>
    public const int MaxModelParameters = 30;

    private static void ValidateModel(AggregationSpec spec, Agreement agreement, Dictionary<string, LayoutVariable> variables, FieldErrors errors,
        Action<string?, string, string[]> requireVariable)
    {
        if (spec.Family is null || GlmFamily.Find(spec.Family, spec.Link) is null)
        {
            errors.Add("aggregation.family", spec.Family is not null && GlmFamily.LinksOf(spec.Family).Count > 0
                ? $"A {spec.Family} model takes the link {string.Join(", ", GlmFamily.LinksOf(spec.Family))}."
                : $"family must be one of {string.Join(", ", GlmFamily.Names)}.");
        }
        if (spec.Family == GlmFamily.Binomial && spec.Outcome is not null && variables.TryGetValue(spec.Outcome, out var outcome) && outcome.Type == "categorical"
            && outcome.Categories is not { Count: 2 })
        {
            errors.Add("aggregation.outcome", $"'{spec.Outcome}' has {outcome.Categories?.Count ?? 0} categories; a binomial outcome is boolean or has two (the second is the event).");
        }
        requireVariable(spec.Outcome, "aggregation.outcome", spec.Family switch
        {
            GlmFamily.Binomial => ["boolean", "categorical"],
            GlmFamily.Poisson => ["integer"],
            _ => ["integer", "decimal"],
        });
        var covariates = spec.Covariates ?? [];
        if (covariates.Count is < 1 or > MaxModelParameters || covariates.Distinct().Count() != covariates.Count || covariates.Contains(spec.Outcome) || (spec.Offset is not null && covariates.Contains(spec.Offset)))
        {
            errors.Add("aggregation.covariates", $"covariates must list 1 to {MaxModelParameters} different variables, neither the outcome nor the offset.");
        }
        foreach (var name in covariates)
        {
            requireVariable(name, "aggregation.covariates", ["integer", "decimal", "boolean", "categorical"]);
            if (name is not null && variables.TryGetValue(name, out var v) && v.Type == "categorical" && v.Categories is not { Count: >= 2 })
            {
                errors.Add("aggregation.covariates", $"'{name}' needs two or more categories to enter a model.");
            }
        }
        var parameters = 1 + covariates.Sum(name => name is not null && variables.TryGetValue(name, out var v) && v.Type == "categorical" ? Math.Max(0, (v.Categories?.Count ?? 1) - 1) : 1);
        if (parameters > MaxModelParameters)
        {
            errors.Add("aggregation.covariates", $"The model would have {parameters} parameters (dummies included); at most {MaxModelParameters}.");
        }
        if (spec.Offset is not null)
        {
            requireVariable(spec.Offset, "aggregation.offset", ["integer", "decimal"]);
        }
        if (spec.MaxIterations is < 1 or > GlmIteration.MostIterations)
        {
            errors.Add("aggregation.maxIterations", $"maxIterations must be 1 to {GlmIteration.MostIterations}.");
        }
        if (spec.Tolerance is { } tolerance && !(tolerance is >= 1e-14 and <= 1e-2))
        {
            errors.Add("aggregation.tolerance", "tolerance must be between 1e-14 and 0.01.");
        }
        if (agreement.ReleaseMode == ReleaseModes.Dp && !errors.Any)
        {
            if (spec.Tolerance is not null)
            {
                errors.Add("aggregation.tolerance", "A differentially private model runs exactly maxIterations rounds; it takes no tolerance.");
            }
            if (GlmSensitivity.Unsupported(GlmDesign.For(spec, variables), variables) is { } unsupported)
            {
                errors.Add("aggregation", unsupported);
            }
        }
    }

    /// <summary>
    /// The variables every cohort has with the same type (a job can only use those); a variable's bounds are the widest
    /// any cohort declares, and it has none when one of the cohorts declares none.
    /// </summary>
    public static Dictionary<string, LayoutVariable> Variables(IReadOnlyList<Cohort> cohorts)
    {
        ArgumentNullException.ThrowIfNull(cohorts);
        if (cohorts.Count == 0)
        {
            return [];
        }
        return cohorts[0].Variables
            .Where(v => cohorts.All(c => c.Variables.Any(o => o.Name == v.Name && o.Type == v.Type && o.Categories.SequenceEqual(v.Categories))))
            .ToDictionary(v => v.Name, v => Bounded(new LayoutVariable(v.Name, CohortValidator.ToWireName(v.Type), v.Categories), cohorts), StringComparer.Ordinal);
    }

    private static LayoutVariable Bounded(LayoutVariable variable, IReadOnlyList<Cohort> cohorts)
    {
        var declared = cohorts.Select(c => c.Variables.Single(v => v.Name == variable.Name)).ToList();
        return declared.All(v => v.Min is not null && v.Max is not null)
            ? variable with { Min = declared.Min(v => v.Min), Max = declared.Max(v => v.Max) }
            : variable;
    }
}
