namespace Dragon.Platform.Catalogue;

/// <summary>The catalogue's search filters; each one given narrows the result.</summary>
/// <param name="Text">Case-insensitive text searched in names, descriptions, populations and variable labels.</param>
public sealed record CohortSearch(string? Text, string? Country, string? Variable, string? DataUse);
