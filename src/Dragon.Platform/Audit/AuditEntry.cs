namespace Dragon.Platform.Audit;

/// <summary>What a feature asks the trail to record; the trail adds sequence, time and hashes.</summary>
/// <param name="Facts">Identifiers and small facts, written as canonical JSON; never personal data.</param>
/// <param name="PersonalData">Personal data (an e-mail address, a name), stored encrypted under <paramref name="PersonRef"/>'s key.</param>
/// <param name="OnSequenced">Told the event's sequence before the save, for records that are ordered by it (the consent feed).</param>
public sealed record AuditEntry(
    AuditActor Actor,
    AuditAction Action,
    string ObjectType,
    string ObjectId,
    IReadOnlyDictionary<string, string?>? Facts = null,
    string? Purpose = null,
    string? LegalBasis = null,
    Guid? PersonRef = null,
    string? PersonalData = null,
    Action<long>? OnSequenced = null);

public sealed record AuditActor(AuditActorType Type, string Id)
{
    public static AuditActor System { get; } = new(AuditActorType.System, "platform");

    public static AuditActor Anonymous { get; } = new(AuditActorType.Anonymous, "-");

    public static AuditActor User(Guid id) => new(AuditActorType.User, id.ToString());

    public static AuditActor Node(Guid id) => new(AuditActorType.Node, id.ToString());
}
