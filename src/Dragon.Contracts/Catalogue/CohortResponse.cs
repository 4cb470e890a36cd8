namespace Dragon.Contracts.Catalogue;

public sealed record CohortResponse(
    Guid Id,
    string Name,
    string Description,
    string Population,
    IReadOnlyList<string> Countries,
    int Size,
    IReadOnlyList<string> DataUse,
    IReadOnlyList<VariableDefinition> Variables,
    int Version,
    Guid? NodeId,
    IReadOnlyList<Guid> StewardIds,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
