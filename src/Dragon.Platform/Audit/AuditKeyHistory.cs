using System.Text.Json;
using System.Text.Json.Serialization;
using Dragon.Platform.Common;

namespace Dragon.Platform.Audit;

/// <param name="ValidTo">When the next key replaced it; null for the key that signs now.</param>
/// <param name="LastSignedSequence">The newest checkpoint it signed; once the key is retired, nothing after it verifies with it.</param>
public sealed record AuditPublicKey(string KeyId, string PublicKeyPem, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo, long? LastSignedSequence = null);

/// <summary>The last checkpoint this signer signed: the trail must still hold it.</summary>
public sealed record AuditSignedPoint(long Sequence, string RootHash);

/// <summary>
/// Every checkpoint key this platform ever signed with, oldest first, and the last checkpoint it signed, kept in a JSON
/// file beside the signing key, outside the database's reach. Loading a new signing key retires the one before it, so
/// checkpoints signed before a key rotation keep verifying, a key that is not in the history verifies nothing, and a
/// retired key verifies nothing newer than the last checkpoint it signed (a leaked old key cannot bless a later rewrite).
/// The last signed checkpoint catches a trail whose newest checkpoints were deleted along with the events they covered.
/// </summary>
public sealed class AuditKeyHistory
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly string _path;
    private readonly Lock _lock = new();
    private Stored _stored;

    private AuditKeyHistory(string path, Stored stored) => (_path, _stored) = (path, stored);

    public IReadOnlyList<AuditPublicKey> Keys
    {
        get
        {
            lock (_lock)
            {
                return _stored.Keys;
            }
        }
    }

    public AuditSignedPoint? LastSigned
    {
        get
        {
            lock (_lock)
            {
                return _stored.LastSigned;
            }
        }
    }

    /// <summary>Reads the history at <paramref name="path"/> (none yet is an empty one) and adds <paramref name="current"/> if it is new.</summary>
    public static AuditKeyHistory Open(string path, AuditSigningKey current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        var stored = File.Exists(path) ? Read(path) : new Stored([], null);
        var history = new AuditKeyHistory(path, stored);
        if (stored.Keys.All(k => k.KeyId != current.KeyId))
        {
            var retired = stored.Keys.Select(k => k.ValidTo is null ? k with { ValidTo = now } : k);
            history.Save(stored with { Keys = [.. retired, new AuditPublicKey(current.KeyId, current.PublicKeyPem, now, null)] });
        }
        return history;
    }

    /// <summary>
    /// Records a checkpoint just signed. The file is read again first: hosts that share it (scale-out on one volume) each
    /// sign checkpoints, and none may move the last signed checkpoint back to an older one it remembers.
    /// </summary>
    public void RecordSigned(string keyId, long sequence, string rootHash)
    {
        lock (_lock)
        {
            var current = File.Exists(_path) ? Read(_path) : _stored;
            if (current.LastSigned is not { } last || last.Sequence < sequence)
            {
                var keys = current.Keys.Select(k => k.KeyId == keyId && (k.LastSignedSequence ?? 0) < sequence ? k with { LastSignedSequence = sequence } : k).ToList();
                Save(new Stored(keys, new AuditSignedPoint(sequence, rootHash)));
            }
            else
            {
                _stored = current;
            }
        }
    }

    private static Stored Read(string path) =>
        JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json) ?? throw new InvalidOperationException($"audit.key_history_invalid: {path} is empty.");

    /// <summary>
    /// Written to a temporary file, owner-only, then renamed over the old one: a crash leaves the old history or the new,
    /// never half. Callers hold the lock (or own the history alone, while opening it).
    /// </summary>
    private void Save(Stored stored)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(_path))!, $".{Path.GetFileName(_path)}.{Guid.NewGuid():N}.tmp");
        using (var file = OwnerOnlyFile.CreateNew(temporary))
        {
            JsonSerializer.Serialize(file, stored, Json);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
        _stored = stored;
    }

    private sealed record Stored(
        [property: JsonPropertyName("keys")] IReadOnlyList<AuditPublicKey> Keys,
        [property: JsonPropertyName("lastSigned")] AuditSignedPoint? LastSigned);
}
