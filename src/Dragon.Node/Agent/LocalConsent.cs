namespace Dragon.Node.Agent;

/// <summary>The latest consent version the node has applied for one subject of one cohort.</summary>
public sealed record LocalConsent(Guid CohortId, string SubjectRef, int Version, string Status, IReadOnlyList<string> Purposes);
