namespace Dragon.Platform.Policies;

/// <summary>One GA4GH Data Use Ontology term from <c>policies/data-use.json</c>.</summary>
public sealed record DataUseTerm(
    string Code,
    string Shorthand,
    DataUseTermKind Kind,
    string? Parent,
    string Label,
    string PlainLanguage);

public enum DataUseTermKind
{
    Permission,
    Modifier,
}
