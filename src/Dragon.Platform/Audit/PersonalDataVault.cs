using System.Security.Cryptography;
using System.Text;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Audit;

/// <summary>
/// Encrypts personal data for the audit trail under a per-person AES-256-GCM key, so that an erasure request
/// destroys the key and the data with it while the hash chain, which covers only ciphertext, still verifies.
/// </summary>
public sealed class PersonalDataVault(DragonDbContext db, TimeProvider time)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<Guid, PersonKey> _pending = [];

    /// <summary>Encrypts <paramref name="plaintext"/> for <paramref name="personRef"/>, creating the person's key in the current unit of work if needed.</summary>
    public async Task<string> SealAsync(Guid personRef, string plaintext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var key = await KeyAsync(personRef, cancellationToken);
        if (key.Key is null)
        {
            throw new InvalidOperationException($"audit.person_erased: the personal data of {personRef} was erased; nothing new is recorded under its key.");
        }
        var data = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + TagSize + data.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Key, TagSize);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), personRef.ToByteArray());
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The plaintext, or null when the person's key was erased or the ciphertext does not open.</summary>
    public async Task<string?> OpenAsync(Guid personRef, string sealedText, CancellationToken cancellationToken)
    {
        var key = await db.PersonKeys.AsNoTracking().SingleOrDefaultAsync(k => k.PersonRef == personRef, cancellationToken);
        if (key?.Key is null)
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
            using var aes = new AesGcm(key.Key, TagSize);
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
        return true;
    }

    private async Task<PersonKey> KeyAsync(Guid personRef, CancellationToken cancellationToken)
    {
        if (_pending.TryGetValue(personRef, out var pending))
        {
            return pending;
        }
        var key = await db.PersonKeys.SingleOrDefaultAsync(k => k.PersonRef == personRef, cancellationToken);
        if (key is null)
        {
            key = new PersonKey { PersonRef = personRef, Key = RandomNumberGenerator.GetBytes(32), CreatedAt = Clock.UtcNow(time) };
            db.PersonKeys.Add(key);
        }
        _pending[personRef] = key;
        return key;
    }
}
