namespace Dragon.Platform.Nodes;

/// <summary>How a node's OpenIddict client is named, so a token's client id leads back to its node.</summary>
public static class NodeClients
{
    private const string Prefix = "node-";

    public static string ClientIdFor(Guid nodeId) => $"{Prefix}{nodeId:N}";

    public static bool TryGetNodeId(string? clientId, out Guid nodeId)
    {
        nodeId = Guid.Empty;
        return clientId is not null
            && clientId.StartsWith(Prefix, StringComparison.Ordinal)
            && Guid.TryParseExact(clientId[Prefix.Length..], "N", out nodeId);
    }
}
