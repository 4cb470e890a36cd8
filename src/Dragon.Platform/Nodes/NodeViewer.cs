namespace Dragon.Platform.Nodes;

/// <summary>Who reads a node: an Admin, a steward (a user who is neither), or the node itself.</summary>
public sealed record NodeViewer(Guid UserId, bool IsAdmin, Guid? NodeId = null);
