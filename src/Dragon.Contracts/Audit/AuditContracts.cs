using System.Globalization;

namespace Dragon.Contracts.Audit;

/// <summary>
/// One audit event with every field its hash covers, so an exported list can be verified offline.
/// <paramref name="PersonalDataDecrypted"/> is not hashed: it is null once the person's data was erased.
/// </summary>
public sealed record AuditEventResponse(
    long Sequence,
    DateTimeOffset OccurredAt,
    string ActorType,
    string ActorId,
    string Action,
    int ActionCode,
    string ObjectType,
    string ObjectId,
    string? Purpose,
    string? LegalBasis,
    string Payload,
    Guid? PersonRef,
    string? PersonalData,
    string? PersonalDataDecrypted,
    string PreviousHash,
    string Hash);

/// <summary>A signed checkpoint; <paramref name="RootHash"/> is hex, the signed body carries it in base64.</summary>
public sealed record AuditCheckpointResponse(long Sequence, string RootHash, DateTimeOffset SignedAt, string Signature, string KeyId, string Origin, string SignedBody);

/// <param name="ValidTo">When the next key replaced it; null for the key that signs now.</param>
public sealed record AuditKeyResponse(string KeyId, string Algorithm, string PublicKeyPem, DateTimeOffset? ValidFrom = null, DateTimeOffset? ValidTo = null);

/// <param name="VerifiedFrom">The checkpoint's sequence the verification went on from (the last one verified before); 0 when it checked the whole trail.</param>
public sealed record AuditVerifyResponse(bool Valid, long EventsChecked, long? FirstInvalidSequence, AuditCheckpointResponse? LatestCheckpoint, long VerifiedFrom = 0);

/// <summary>
/// The platform's signed word that it recorded a node's upload as audit event <paramref name="Sequence"/> with hash
/// <paramref name="Hash"/> (hex), signed by its audit key <paramref name="KeyId"/> over <see cref="Statement"/>. The node
/// keeps it: a trail rewritten later cannot deny the event without contradicting its own signature.
/// </summary>
public sealed record AuditReceipt(string Origin, long Sequence, string Hash, string KeyId, string Signature)
{
    /// <summary>The text the receipt's signature covers (UTF-8): a domain line, the trail's origin, the sequence and the hash.</summary>
    public static string Statement(string origin, long sequence, string hash) =>
        string.Create(CultureInfo.InvariantCulture, $"dragon-platform/audit-receipt/v1\n{origin}\n{sequence}\n{hash}\n");
}
