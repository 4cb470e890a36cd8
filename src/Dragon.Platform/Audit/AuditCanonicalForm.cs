using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dragon.Platform.Audit;

/// <summary>
/// The bytes an event's hash covers: each field as a 4-byte big-endian length and its UTF-8 text, in a fixed
/// order, so no two different events share an encoding. Times are UTC ticks; absent values are empty.
/// </summary>
public static class AuditCanonicalForm
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Hash(
        long sequence, DateTimeOffset occurredAt, AuditActorType actorType, string actorId, AuditAction action,
        string objectType, string objectId, string? purpose, string? legalBasis, string payload,
        Guid? personRef, string? personalData, string previousHash)
    {
        using var buffer = new MemoryStream();
        void Field(string? value)
        {
            var bytes = Encoding.UTF8.GetBytes(value ?? "");
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            buffer.Write(length);
            buffer.Write(bytes);
        }
        Field("dragon-audit-v1");
        Field(sequence.ToString(CultureInfo.InvariantCulture));
        Field(occurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(actorType.ToString());
        Field(actorId);
        Field(((int)action).ToString(CultureInfo.InvariantCulture));
        Field(objectType);
        Field(objectId);
        Field(purpose);
        Field(legalBasis);
        Field(payload);
        Field(personRef?.ToString());
        Field(personalData);
        Field(previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    public static string Hash(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Hash(e.Sequence, e.OccurredAt, e.ActorType, e.ActorId, e.Action, e.ObjectType, e.ObjectId,
            e.Purpose, e.LegalBasis, e.Payload, e.PersonRef, e.PersonalData, e.PreviousHash);
    }
}
