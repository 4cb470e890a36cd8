using Dragon.Contracts.Catalogue;
using Dragon.Node.Cli;

namespace Dragon.Node.Data;

/// <summary>The variable types of the catalogue, and a check that a cohort's variables can be read.</summary>
public static class VariableTypes
{
    public const string Integer = "integer";
    public const string Decimal = "decimal";
    public const string Categorical = "categorical";
    public const string Boolean = "boolean";
    public const string Date = "date";

    public const string SubjectColumn = "subject_ref";

    private static readonly string[] Known = [Integer, Decimal, Categorical, Boolean, Date];

    /// <exception cref="NodeException">A variable without a name, with an unknown type, a categorical one without categories, or a name used twice.</exception>
    public static void Validate(IReadOnlyList<VariableDefinition> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var seen = new HashSet<string>(StringComparer.Ordinal) { SubjectColumn };
        foreach (var variable in variables)
        {
            if (string.IsNullOrWhiteSpace(variable.Name))
            {
                throw new NodeException("A cohort variable has no name.");
            }
            if (!seen.Add(variable.Name))
            {
                throw new NodeException($"The variable name '{variable.Name}' is used twice (or is the reserved '{SubjectColumn}').");
            }
            if (!Known.Contains(variable.Type, StringComparer.Ordinal))
            {
                throw new NodeException($"Variable '{variable.Name}' has type '{variable.Type}'; known types are {string.Join(", ", Known)}.");
            }
            if (variable.Type == Categorical && (variable.Categories is null || variable.Categories.Count == 0))
            {
                throw new NodeException($"Categorical variable '{variable.Name}' lists no categories.");
            }
        }
    }
}
