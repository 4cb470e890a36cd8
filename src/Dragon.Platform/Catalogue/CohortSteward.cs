namespace Dragon.Platform.Catalogue;

/// <summary>A data steward who decides access requests for a cohort.</summary>
public sealed class CohortSteward
{
    public Guid CohortId { get; init; }
    public Guid UserId { get; init; }
}
