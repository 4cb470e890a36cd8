namespace Dragon.Node.State;

/// <summary>What a node remembers between commands, kept as <c>state.json</c> in its state folder.</summary>
/// <param name="Platform">The platform's base address the node enrolled with.</param>
/// <param name="ClientSecret">The client secret, sealed; never the plaintext.</param>
/// <param name="Cohorts">The cohorts this node published, by name, so publishing again updates them.</param>
public sealed record NodeState(
    Uri Platform,
    Guid NodeId,
    string ClientId,
    SealedSecret ClientSecret,
    IReadOnlyDictionary<string, Guid> Cohorts);
