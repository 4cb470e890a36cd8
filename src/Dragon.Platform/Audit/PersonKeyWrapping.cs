using System.Security.Cryptography;
using System.Text;
using Dragon.Platform.Common;

namespace Dragon.Platform.Audit;

/// <summary>
/// The key that wraps every person key (AES-256-GCM, bound to the person's reference), kept in a file outside the
/// database: a copy of the database alone opens no personal data in the audit trail. It also names a node's subject
/// as a person (<see cref="SubjectPersonRef"/>) without the database holding anything that confirms a guessed pseudonym.
/// </summary>
public sealed class PersonKeyWrapping
{
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    /// <summary>Person keys stored before wrapping was introduced are the bare 32 bytes.</summary>
    private const int BareKeySize = KeySize;

    private readonly byte[] _wrapKey;
    private readonly byte[] _subjectKey;

    private PersonKeyWrapping(byte[] key)
    {
        // One subkey per use: the same bytes never serve both AES-GCM and HMAC.
        _wrapKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, KeySize, info: "dragon/person-key-wrap"u8.ToArray());
        _subjectKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, KeySize, info: "dragon/subject-person-ref"u8.ToArray());
    }

    public static PersonKeyWrapping LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var key = File.ReadAllBytes(path);
            return key.Length == KeySize ? new PersonKeyWrapping(key)
                : throw new InvalidOperationException($"audit.wrapping_key_invalid: {path} does not hold a {KeySize}-byte key.");
        }
        var created = RandomNumberGenerator.GetBytes(KeySize);
        using (var file = OwnerOnlyFile.CreateNew(path))
        {
            file.Write(created);
            file.Flush(flushToDisk: true);
        }
        return new PersonKeyWrapping(created);
    }

    public byte[] Wrap(Guid personRef, byte[] personKey)
    {
        ArgumentNullException.ThrowIfNull(personKey);
        var wrapped = new byte[NonceSize + TagSize + personKey.Length];
        RandomNumberGenerator.Fill(wrapped.AsSpan(0, NonceSize));
        using var aes = new AesGcm(_wrapKey, TagSize);
        aes.Encrypt(wrapped.AsSpan(0, NonceSize), personKey, wrapped.AsSpan(NonceSize + TagSize), wrapped.AsSpan(NonceSize, TagSize), personRef.ToByteArray());
        return wrapped;
    }

    /// <summary>The person key, or null when the stored bytes do not open under this wrapping key for this person.</summary>
    public byte[]? Unwrap(Guid personRef, byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Length == BareKeySize)
        {
            return stored;
        }
        if (stored.Length != NonceSize + TagSize + KeySize)
        {
            return null;
        }
        var personKey = new byte[KeySize];
        try
        {
            using var aes = new AesGcm(_wrapKey, TagSize);
            aes.Decrypt(stored.AsSpan(0, NonceSize), stored.AsSpan(NonceSize + TagSize), stored.AsSpan(NonceSize, TagSize), personKey, personRef.ToByteArray());
            return personKey;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    /// <summary>The person reference of subject <paramref name="subjectRef"/> at node <paramref name="nodeId"/>: a keyed hash, the same every time.</summary>
    public Guid SubjectPersonRef(Guid nodeId, string subjectRef)
    {
        ArgumentNullException.ThrowIfNull(subjectRef);
        var hash = HMACSHA256.HashData(_subjectKey, Encoding.UTF8.GetBytes($"{nodeId:N}\0{subjectRef}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
