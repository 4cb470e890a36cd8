namespace Dragon.Platform.Catalogue;

/// <summary>
/// A cohort held by a partner site. Its <see cref="Version"/> grows with every update and guards
/// against lost updates (optimistic concurrency).
/// </summary>
public sealed class Cohort
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    public required string Description { get; set; }
    public required string Population { get; set; }
    public List<string> Countries { get; set; } = [];
    public int Size { get; set; }
    public List<string> DataUse { get; set; } = [];
    public List<CohortVariable> Variables { get; set; } = [];
    public List<CohortSteward> Stewards { get; init; } = [];
    public Guid? NodeId { get; init; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
