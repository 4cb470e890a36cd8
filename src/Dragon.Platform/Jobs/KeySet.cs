namespace Dragon.Platform.Jobs;

public enum KeySetStatus
{
    Pending,
    /// <summary>A t-of-N key set whose public-key shares are all in: each member deals its secret to the others.</summary>
    Sharing,
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
    /// <summary>How many members together decrypt; 0 for key sets made before thresholds existed, which are N-of-N.</summary>
    public int Threshold { get; init; }
    public List<KeySetMember> Members { get; init; } = [];

    /// <summary>How many members together decrypt (all of them for an N-of-N key set).</summary>
    public int EffectiveThreshold => Threshold is > 0 ? Threshold : Members.Count;

    /// <summary>Whether fewer than all members decrypt, so the members deal threshold shares and jobs may go on without some.</summary>
    public bool IsThreshold => EffectiveThreshold < Members.Count;
}

/// <summary>One node of a key set and, once uploaded, its public-key share with the node's signature over it.</summary>
public sealed class KeySetMember
{
    public Guid KeySetId { get; init; }
    public Guid NodeId { get; init; }
    public byte[]? Share { get; set; }
    public byte[]? ShareSignature { get; set; }
    public DateTimeOffset? UploadedAt { get; set; }
    /// <summary>In a t-of-N key set, the member's key-agreement key (SubjectPublicKeyInfo), covered by its share's signature.</summary>
    public byte[]? ExchangeKey { get; set; }
    /// <summary>In a t-of-N key set, when the member dealt its threshold shares.</summary>
    public DateTimeOffset? DealtAt { get; set; }
}

/// <summary>A threshold share one member dealt to another, sealed to the recipient: the platform stores and relays it, unable to read it.</summary>
public sealed class KeySetThresholdShare
{
    public Guid KeySetId { get; init; }
    public Guid DealerId { get; init; }
    public Guid RecipientId { get; init; }
    public required byte[] Ciphertext { get; init; }
    public required byte[] Signature { get; init; }
}
