using Dragon.Platform.Audit;

namespace Dragon.Platform.Catalogue;

/// <summary>Who publishes or changes a cohort: a partner node, or a data steward (user).</summary>
public sealed record CohortPublisher(Guid? NodeId, Guid? StewardId)
{
    public static CohortPublisher Node(Guid nodeId) => new(nodeId, null);

    public static CohortPublisher Steward(Guid userId) => new(null, userId);

    public AuditActor Actor => NodeId is { } node ? AuditActor.Node(node) : AuditActor.User(StewardId ?? Guid.Empty);

    /// <summary>The publishing node, or a steward of the cohort, may change it.</summary>
    public bool MayChange(Cohort cohort)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        return (NodeId is { } node && cohort.NodeId == node)
            || (StewardId is { } steward && cohort.Stewards.Any(s => s.UserId == steward));
    }
}
