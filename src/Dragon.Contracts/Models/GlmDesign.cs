using Dragon.Contracts.Jobs;

namespace Dragon.Contracts.Models;

/// <summary>A column of a model's design matrix: the intercept, a numeric or boolean covariate, or one category of a categorical covariate (a dummy).</summary>
/// <param name="Variable">The covariate; null for the intercept.</param>
/// <param name="Category">For a dummy, the category it is 1 for.</param>
public sealed record GlmColumn(string Name, string? Variable, string? Category);

/// <summary>A level whose records are counted for disclosure control: a category of a categorical or boolean covariate, or a binomial outcome's value.</summary>
public sealed record GlmLevel(string Variable, string Category);

/// <summary>
/// The design of a model from its query and the job's variables: an intercept, then each covariate in order, a numeric
/// one as it is, a boolean one as 1 for true, a categorical one as one dummy per category but the first (its reference
/// level), named <c>variable=category</c>. The levels counted are every category of each categorical or boolean
/// covariate and, for a binomial model, both values of the outcome (a boolean, or a categorical variable of two categories whose second is the event).
/// </summary>
/// <param name="OutcomeEvent">For a binomial model of a categorical outcome (two categories), the category counted as 1: its second, as R takes a factor's second level.</param>
public sealed record GlmDesign(GlmFamily Family, string Outcome, string? Offset, IReadOnlyList<GlmColumn> Columns, IReadOnlyList<GlmLevel> Levels, string? OutcomeEvent = null)
{
    public const string Intercept = "(Intercept)";

    public int Parameters => Columns.Count;

    /// <exception cref="ArgumentException">The query is not a model over these variables.</exception>
    public static GlmDesign For(AggregationSpec spec, IReadOnlyDictionary<string, LayoutVariable> variables)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(variables);
        var family = GlmFamily.Find(spec.Family, spec.Link) ?? throw new ArgumentException($"Unknown family '{spec.Family}' or link '{spec.Link}'.", nameof(spec));
        var outcome = spec.Outcome is not null && variables.ContainsKey(spec.Outcome) ? spec.Outcome : throw new ArgumentException("A model needs an outcome variable of the job.", nameof(spec));
        var columns = new List<GlmColumn> { new(Intercept, null, null) };
        var levels = new List<GlmLevel>();
        foreach (var name in spec.Covariates ?? [])
        {
            var variable = name is not null && variables.TryGetValue(name, out var v) ? v : throw new ArgumentException($"No covariate '{name}' among the job's variables.", nameof(spec));
            switch (variable.Type)
            {
                case "integer" or "decimal":
                    columns.Add(new(name, name, null));
                    break;
                case "boolean":
                    columns.Add(new(name, name, "true"));
                    levels.AddRange([new(name, "true"), new(name, "false")]);
                    break;
                case "categorical" when variable.Categories is { Count: >= 2 } categories:
                    columns.AddRange(categories.Skip(1).Select(c => new GlmColumn($"{name}={c}", name, c)));
                    levels.AddRange(categories.Select(c => new GlmLevel(name, c)));
                    break;
                default:
                    throw new ArgumentException($"Covariate '{name}' is {variable.Type}; a model takes numeric, boolean or categorical covariates (with two or more categories).", nameof(spec));
            }
        }
        string? outcomeEvent = null;
        if (family.Name == GlmFamily.Binomial)
        {
            var categories = variables[outcome] is { Type: "categorical", Categories: { Count: 2 } two } ? two : ["true", "false"];
            outcomeEvent = variables[outcome].Type == "categorical" ? categories[1] : null;
            levels.AddRange(categories.Select(c => new GlmLevel(outcome, c)));
        }
        return new GlmDesign(family, outcome, spec.Offset, columns, levels, outcomeEvent);
    }
}
