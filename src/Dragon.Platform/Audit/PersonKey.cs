namespace Dragon.Platform.Audit;

/// <summary>
/// A person's key for the personal data in audit events, stored wrapped (<see cref="PersonKeyWrapping"/>); erasing it
/// erases that data (crypto-shredding).
/// </summary>
public sealed class PersonKey
{
    public Guid PersonRef { get; init; }
    public byte[]? Key { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ErasedAt { get; set; }
}
