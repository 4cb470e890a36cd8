using System.Text.RegularExpressions;
using Dragon.Contracts.Catalogue;
using Dragon.Platform.Common;
using Dragon.Platform.Policies;

namespace Dragon.Platform.Catalogue;

/// <summary>Checks a cohort description field by field before anything is stored.</summary>
public static partial class CohortValidator
{
    public const int MaxVariables = 500;
    public const int MaxCategories = 200;

    /// <summary>The largest magnitude of a declared bound: its square in fixed point (a sum of squares) stays far inside a long.</summary>
    public const decimal MaxBound = 1_000_000_000m;
    public const int MaxSize = 100_000_000;
    /// <summary>The data file column that carries the node's pseudonym; no variable may take its name.</summary>
    public const string SubjectColumn = "subject_ref";

    private static readonly string TypeNames = string.Join(", ", Enum.GetNames<VariableType>().Select(ToWireName));

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex VariableNamePattern();

    public static string ToWireName(string typeName) => typeName.ToLowerInvariant();

    public static string ToWireName(VariableType type) => ToWireName(type.ToString());

    public static bool TryParseType(string? text, out VariableType type)
    {
        type = default;
        return text is not null
            && text.Length > 0
            && text.All(char.IsAsciiLetterLower)
            && Enum.TryParse(text, ignoreCase: true, out type);
    }

    /// <summary>Validates <paramref name="request"/>; on success answers the cohort's normalised fields.</summary>
    public static Result<ValidCohort> Validate(CohortRequest request, DataUsePolicy dataUse)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(dataUse);
        var errors = new FieldErrors();

        var name = Text.Required(request.Name, "name", 3, 200, errors);
        var description = Text.Optional(request.Description, "description", 4000, errors);
        var population = Text.Optional(request.Population, "population", 1000, errors);
        var countries = Countries(request.Countries, errors);
        if (request.Size is null)
        {
            errors.Add("size", "size is required.");
        }
        else if (request.Size is < 0 or > MaxSize)
        {
            errors.Add("size", $"size must be between 0 and {MaxSize}.");
        }
        var dataUseCodes = DataUseCodes(request.DataUse, dataUse, errors);
        var variables = Variables(request.Variables, errors);

        if (errors.Any)
        {
            return DomainError.Invalid(errors.ToDictionary());
        }
        return new ValidCohort(name, description, population, countries, request.Size!.Value, dataUseCodes, variables);
    }

    private static List<string> Countries(IReadOnlyList<string>? countries, FieldErrors errors)
    {
        if (countries is not { Count: > 0 })
        {
            errors.Add("countries", "countries must list at least one ISO 3166-1 alpha-2 code.");
            return [];
        }
        for (var i = 0; i < countries.Count; i++)
        {
            if (!Common.Countries.IsCode(countries[i]))
            {
                errors.Add($"countries[{i}]", $"'{countries[i]}' is not an ISO 3166-1 alpha-2 country code such as NL.");
            }
        }
        if (countries.Distinct(StringComparer.Ordinal).Count() != countries.Count)
        {
            errors.Add("countries", "countries must not repeat a code.");
        }
        return [.. countries];
    }

    private static List<string> DataUseCodes(IReadOnlyList<string>? given, DataUsePolicy policy, FieldErrors errors)
    {
        if (given is not { Count: > 0 })
        {
            errors.Add("dataUse", "dataUse must list at least one DUO code.");
            return [];
        }
        var codes = given.Select(code => policy.Normalize(code)).ToList();
        for (var i = 0; i < codes.Count; i++)
        {
            if (codes[i] is null || !policy.IsKnown(codes[i]))
            {
                errors.Add($"dataUse[{i}]", $"'{codes[i]}' is not a DUO code this platform accepts (see policies/{DataUsePolicy.FileName}).");
            }
        }
        if (codes.Distinct(StringComparer.Ordinal).Count() != codes.Count)
        {
            errors.Add("dataUse", "dataUse must not repeat a code.");
        }
        else if (codes.All(code => code is not null && policy.IsKnown(code)) && !codes.Any(code => policy.Find(code)!.Kind == DataUseTermKind.Permission))
        {
            errors.Add("dataUse", "dataUse must include at least one data use permission, not only modifiers.");
        }
        return [.. codes];
    }

    private static List<CohortVariable> Variables(IReadOnlyList<VariableDefinition>? variables, FieldErrors errors)
    {
        if (variables is not { Count: > 0 })
        {
            errors.Add("variables", "variables must list at least one variable.");
            return [];
        }
        if (variables.Count > MaxVariables)
        {
            errors.Add("variables", $"a cohort has at most {MaxVariables} variables.");
            return [];
        }
        var result = new List<CohortVariable>(variables.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < variables.Count; i++)
        {
            var field = $"variables[{i}]";
            var variable = variables[i];
            if (variable is null)
            {
                errors.Add(field, "a variable must be an object.");
                continue;
            }
            if (variable.Name is null || !VariableNamePattern().IsMatch(variable.Name))
            {
                errors.Add($"{field}.name", "name must start with a lower-case letter and hold only lower-case letters, digits and '_' (at most 63).");
            }
            else if (variable.Name == SubjectColumn)
            {
                errors.Add($"{field}.name", $"'{SubjectColumn}' is reserved for the subject's pseudonym.");
            }
            else if (!seen.Add(variable.Name))
            {
                errors.Add($"{field}.name", $"'{variable.Name}' is defined twice.");
            }
            var label = Text.Required(variable.Label, $"{field}.label", 1, 200, errors);
            var unit = variable.Unit is null ? null : Text.Optional(variable.Unit, $"{field}.unit", 50, errors);
            if (!TryParseType(variable.Type, out var type))
            {
                errors.Add($"{field}.type", $"'{variable.Type}' is not a variable type; use one of {TypeNames}.");
                continue;
            }
            var categories = Categories(variable.Categories, type, $"{field}.categories", errors);
            CheckBounds(variable, type, field, errors);
            result.Add(new CohortVariable
            {
                Position = i,
                Name = variable.Name ?? "",
                Label = label,
                Type = type,
                Unit = string.IsNullOrEmpty(unit) ? null : unit,
                Categories = categories,
                Min = variable.Min,
                Max = variable.Max,
            });
        }
        return result;
    }

    /// <summary>Bounds are for numeric variables, both or neither, min below max, and within what a fixed-point vector holds.</summary>
    private static void CheckBounds(VariableDefinition variable, VariableType type, string field, FieldErrors errors)
    {
        if (variable.Min is null && variable.Max is null)
        {
            return;
        }
        if (type is not (VariableType.Integer or VariableType.Decimal))
        {
            errors.Add($"{field}.min", "only integer and decimal variables have bounds.");
        }
        else if (variable.Min is not { } min || variable.Max is not { } max)
        {
            errors.Add($"{field}.min", "give both min and max, or neither.");
        }
        else if (min >= max || Math.Abs(min) > MaxBound || Math.Abs(max) > MaxBound)
        {
            errors.Add($"{field}.min", $"min must be below max, both within -{MaxBound} and {MaxBound}.");
        }
        else if (type == VariableType.Integer && (min != decimal.Truncate(min) || max != decimal.Truncate(max)))
        {
            errors.Add($"{field}.min", "an integer variable's bounds are integers.");
        }
    }

    private static List<string> Categories(IReadOnlyList<string>? categories, VariableType type, string field, FieldErrors errors)
    {
        if (type != VariableType.Categorical)
        {
            if (categories is { Count: > 0 })
            {
                errors.Add(field, "only categorical variables have categories.");
            }
            return [];
        }
        if (categories is not { Count: > 0 } || categories.Count > MaxCategories)
        {
            errors.Add(field, $"a categorical variable needs 1 to {MaxCategories} categories.");
            return [];
        }
        if (categories.Any(category => string.IsNullOrWhiteSpace(category) || category.Length > 100 || category.Any(char.IsControl)))
        {
            errors.Add(field, "each category must be 1 to 100 printable characters.");
        }
        else if (categories.Distinct(StringComparer.Ordinal).Count() != categories.Count)
        {
            errors.Add(field, "categories must not repeat a value.");
        }
        return [.. categories];
    }
}
