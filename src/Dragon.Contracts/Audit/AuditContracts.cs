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
