using System.Security.Cryptography;
using System.Text;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Audit;

/// <summary>
/// Encrypts personal data for the audit trail under a per-person AES-256-GCM key, so that an erasure request
/// destroys the key and the data with it while the hash chain, which covers only ciphertext, still verifies. The keys
/// are stored wrapped by <see cref="PersonKeyWrapping"/>, whose key is not in the database.
/// </summary>
public sealed class PersonalDataVault(DragonDbContext db, PersonKeyWrapping wrapping, TimeProvider time)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<Guid, byte[]> _pending = [];

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> for <paramref name="personRef"/>, creating the person's key in the current unit
    /// of work if needed. A person erased before gets a new key: what was sealed under the destroyed one stays unreadable
    /// (a hospital may enrol the same pseudonym again after an erasure).
    /// </summary>
    public async Task<string> SealAsync(Guid personRef, string plaintext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var key = await KeyAsync(personRef, cancellationToken);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + TagSize + data.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), personRef.ToByteArray());
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The plaintext, or null when the person's key was erased or the ciphertext does not open.</summary>
    public async Task<string?> OpenAsync(Guid personRef, string sealedText, CancellationToken cancellationToken)
    {
        var stored = await db.PersonKeys.AsNoTracking().SingleOrDefaultAsync(k => k.PersonRef == personRef, cancellationToken);
        if (stored?.Key is null || wrapping.Unwrap(personRef, stored.Key) is not { } key)
        {
            return null;
        }
        var sealedBytes = Convert.FromBase64String(sealedText);
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            return null;
        }
        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plaintext, personRef.ToByteArray());
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>Destroys the person's key in the current unit of work; returns false when there was none left.</summary>
    public async Task<bool> EraseAsync(Guid personRef, CancellationToken cancellationToken)
    {
        var key = await db.PersonKeys.SingleOrDefaultAsync(k => k.PersonRef == personRef, cancellationToken);
        if (key?.Key is null)
        {
            return false;
        }
        CryptographicOperations.ZeroMemory(key.Key);
        key.Key = null;
        key.ErasedAt = Clock.UtcNow(time);
        if (_pending.Remove(personRef, out var pending))
        {
            CryptographicOperations.ZeroMemory(pending);
        }
        return true;
    }

    /// <summary>The person's key in the clear, created (and stored wrapped) in the current unit of work when there is none or it was erased.</summary>
    private async Task<byte[]> KeyAsync(Guid personRef, CancellationToken cancellationToken)
    {
        if (_pending.TryGetValue(personRef, out var pending))
        {
            return pending;
        }
        var stored = await db.PersonKeys.SingleOrDefaultAsync(k => k.PersonRef == personRef, cancellationToken);
        byte[] key;
        if (stored?.Key is { } wrapped)
        {
            key = wrapping.Unwrap(personRef, wrapped)
                ?? throw new InvalidOperationException($"audit.person_key_unreadable: the key of {personRef} does not open under the configured wrapping key.");
        }
        else
        {
            key = RandomNumberGenerator.GetBytes(32);
            if (stored is null)
            {
                db.PersonKeys.Add(new PersonKey { PersonRef = personRef, Key = wrapping.Wrap(personRef, key), CreatedAt = Clock.UtcNow(time) });
            }
            else
            {
                stored.Key = wrapping.Wrap(personRef, key);
            }
        }
        _pending[personRef] = key;
        return key;
    }
}
