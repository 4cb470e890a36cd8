namespace Dragon.Contracts.Catalogue;

/// <summary>A cohort as a node or steward describes it, for creation and for a new version.</summary>
public sealed record CohortRequest
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? Population { get; init; }
    public IReadOnlyList<string>? Countries { get; init; }
    public int? Size { get; init; }
    /// <summary>GA4GH Data Use Ontology codes, such as <c>DUO:0000042</c>.</summary>
    public IReadOnlyList<string>? DataUse { get; init; }
    public IReadOnlyList<VariableDefinition>? Variables { get; init; }
}
