namespace Dragon.Platform.Nodes;

/// <summary>A hospital's agent, known by the OpenIddict client it received at enrollment.</summary>
public sealed class PartnerNode
{
    public Guid Id { get; init; }
    public required string Name { get; init; }
    public required string Organisation { get; init; }
    public required string Country { get; init; }
    public required string ContactEmail { get; init; }
    public required string ClientId { get; init; }
    /// <summary>
    /// The node's identity key (ECDSA P-256, DER SubjectPublicKeyInfo), registered at enrollment: key shares,
    /// commitments and decryption shares must carry its signature. Null only for nodes enrolled before it existed,
    /// which cannot join a key set.
    /// </summary>
    public byte[]? IdentityKey { get; init; }
    public NodeStatus Status { get; set; }
    public string? AgentVersion { get; set; }
    public DateTimeOffset? LastHeartbeatAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StatusChangedAt { get; set; }
    public Guid? StatusChangedBy { get; set; }
}
