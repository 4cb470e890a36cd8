namespace Dragon.Platform.Jobs;

public enum KeySetStatus
{
    Pending,
    Ready,
    /// <summary>It has decrypted as many ciphertext parts as its smudging allows: jobs need a new key ceremony.</summary>
    Retired,
}

/// <summary>
/// A collective key for a group of nodes: each node's public-key share over a common random polynomial from
/// <see cref="CommonSeed"/>; their sum is the collective public key. Secret shares never leave the nodes.
/// </summary>
public sealed class KeySet
{
    public Guid Id { get; init; }
    public required string Parameters { get; init; }
    public required byte[] CommonSeed { get; init; }
    public KeySetStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public Guid CreatedBy { get; init; }
    public DateTimeOffset? ReadyAt { get; set; }
    public byte[]? CollectivePublicKey { get; set; }
    /// <summary>Ciphertext parts reserved for decryption by its jobs, counted at submission and never given back.</summary>
    public long DecryptedParts { get; set; }
    public List<KeySetMember> Members { get; init; } = [];
}

/// <summary>One node of a key set and, once uploaded, its public-key share with the node's signature over it.</summary>
public sealed class KeySetMember
{
    public Guid KeySetId { get; init; }
    public Guid NodeId { get; init; }
    public byte[]? Share { get; set; }
    public byte[]? ShareSignature { get; set; }
    public DateTimeOffset? UploadedAt { get; set; }
}
