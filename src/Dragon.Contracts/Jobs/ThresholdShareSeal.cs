using System.Security.Cryptography;
using System.Text;

namespace Dragon.Contracts.Jobs;

/// <summary>
/// How a dealer seals a threshold share to its recipient so the platform that relays it cannot read it: ECDH (P-256)
/// between the dealer's and the recipient's exchange keys for the key set, HKDF-SHA256 bound to the key set, the
/// dealer and the recipient, then AES-256-GCM with a random nonce and the same binding as associated data. Either
/// side derives the same key from its own private exchange key and the other's public one.
/// </summary>
public static class ThresholdShareSeal
{
    public const int NonceBytes = 12;
    public const int TagBytes = 16;

    /// <summary>What sealing adds to the share's length.</summary>
    public const int Overhead = NonceBytes + TagBytes;

    /// <param name="own">This side's exchange key pair (the dealer's when sealing).</param>
    /// <param name="otherPublicKey">The other side's exchange key (SubjectPublicKeyInfo).</param>
    public static byte[] Seal(ECDiffieHellman own, ReadOnlySpan<byte> otherPublicKey, Guid keySetId, Guid dealerId, Guid recipientId, ReadOnlySpan<byte> share)
    {
        ArgumentNullException.ThrowIfNull(own);
        var key = Key(own, otherPublicKey, keySetId, dealerId, recipientId);
        var sealedShare = new byte[share.Length + Overhead];
        var nonce = sealedShare.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, share, sealedShare.AsSpan(NonceBytes, share.Length), sealedShare.AsSpan(NonceBytes + share.Length), Binding(keySetId, dealerId, recipientId));
        CryptographicOperations.ZeroMemory(key);
        return sealedShare;
    }

    /// <summary>The share, or null when the sealed bytes were not made by the dealer for this recipient and key set (or were altered).</summary>
    /// <param name="own">This side's exchange key pair (the recipient's when opening).</param>
    /// <param name="otherPublicKey">The dealer's exchange key (SubjectPublicKeyInfo).</param>
    public static byte[]? Open(ECDiffieHellman own, ReadOnlySpan<byte> otherPublicKey, Guid keySetId, Guid dealerId, Guid recipientId, ReadOnlySpan<byte> sealedShare)
    {
        ArgumentNullException.ThrowIfNull(own);
        if (sealedShare.Length < Overhead)
        {
            return null;
        }
        var key = Key(own, otherPublicKey, keySetId, dealerId, recipientId);
        var share = new byte[sealedShare.Length - Overhead];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(sealedShare[..NonceBytes], sealedShare.Slice(NonceBytes, share.Length), sealedShare[(NonceBytes + share.Length)..], share, Binding(keySetId, dealerId, recipientId));
            return share;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <exception cref="CryptographicException">The other side's key is not a P-256 public key.</exception>
    private static byte[] Key(ECDiffieHellman own, ReadOnlySpan<byte> otherPublicKey, Guid keySetId, Guid dealerId, Guid recipientId)
    {
        using var other = ECDiffieHellman.Create();
        other.ImportSubjectPublicKeyInfo(otherPublicKey, out _);
        var secret = own.DeriveRawSecretAgreement(other.PublicKey);
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, keySetId.ToByteArray(), Binding(keySetId, dealerId, recipientId));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static byte[] Binding(Guid keySetId, Guid dealerId, Guid recipientId) =>
        Encoding.UTF8.GetBytes($"dragon threshold share seal v1\nkey set {keySetId:D}\ndealer {dealerId:D}\nrecipient {recipientId:D}\n");
}
