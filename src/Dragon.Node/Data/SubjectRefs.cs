using System.Text.RegularExpressions;

namespace Dragon.Node.Data;

/// <summary>A subject's pseudonym as the platform accepts it: letters, digits, '.', '_', ':', '-', at most 100.</summary>
public static partial class SubjectRefs
{
    public const int MaxLength = 100;

    /// <returns>Null when valid, otherwise the reason.</returns>
    public static string? Check(string? subjectRef) => subjectRef switch
    {
        null or "" => $"{VariableTypes.SubjectColumn} is empty.",
        { Length: > MaxLength } => $"{VariableTypes.SubjectColumn} is longer than {MaxLength} characters.",
        _ when !Pattern().IsMatch(subjectRef) => $"{VariableTypes.SubjectColumn} may hold only letters, digits, '.', '_', ':' and '-'.",
        _ => null,
    };

    [GeneratedRegex("^[A-Za-z0-9._:-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
