using System.Security.Cryptography;
using System.Text;
using Dragon.Node.Cli;

namespace Dragon.Node.State;

/// <summary>Seals and opens the client secret with AES-256-GCM, bound to the client id as associated data.</summary>
public static class SecretSeal
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public static SealedSecret Seal(string secret, string clientId, StateKey key)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(key);
        var plaintext = Encoding.UTF8.GetBytes(secret);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagBytes];
        using var aes = new AesGcm(key.Key, TagBytes);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(clientId));
        CryptographicOperations.ZeroMemory(plaintext);
        return new SealedSecret(key.Source, Convert.ToBase64String(nonce), Convert.ToBase64String(ciphertext), Convert.ToBase64String(tag));
    }

    /// <exception cref="NodeException">The key is not the one that sealed it, or the sealed secret was altered.</exception>
    public static string Open(SealedSecret sealedSecret, string clientId, StateKey key)
    {
        ArgumentNullException.ThrowIfNull(sealedSecret);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            var nonce = Convert.FromBase64String(sealedSecret.Nonce);
            var ciphertext = Convert.FromBase64String(sealedSecret.Ciphertext);
            var tag = Convert.FromBase64String(sealedSecret.Tag);
            var plaintext = new byte[ciphertext.Length];
            using var aes = new AesGcm(key.Key, TagBytes);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, AssociatedData(clientId));
            return Encoding.UTF8.GetString(plaintext);
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException or ArgumentException)
        {
            throw new NodeException(
                $"The client secret in the state cannot be opened with the key from {(key.Source == StateKey.FromEnvironment ? StateKey.Variable : StateKey.FileName)}: wrong key, or the state was altered.",
                exception);
        }
    }

    private static byte[] AssociatedData(string clientId) => Encoding.UTF8.GetBytes($"dragon-node client secret for {clientId}");
}
