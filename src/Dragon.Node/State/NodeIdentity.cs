using System.Security.Cryptography;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Nodes;
using Dragon.Node.Cli;

namespace Dragon.Node.State;

/// <summary>
/// The node's identity key: an ECDSA P-256 key pair made at enrollment, whose public key the platform registers and
/// peers pin by fingerprint. It signs the node's key share, commitments and decryption shares. Kept in the owner-only
/// <c>identity.json</c> of the state folder, the private key sealed like the client secret (AES-256-GCM with the
/// state key, bound to the client id).
/// </summary>
public sealed class NodeIdentity : IDisposable
{
    public const string FileName = "identity.json";

    private readonly ECDsa _key;

    private NodeIdentity(ECDsa key)
    {
        _key = key;
        PublicKey = key.ExportSubjectPublicKeyInfo();
        Fingerprint = IdentityKeys.Fingerprint(PublicKey);
    }

    /// <summary>DER SubjectPublicKeyInfo.</summary>
    public byte[] PublicKey { get; }

    public string Fingerprint { get; }

    /// <summary>A new key pair from the operating system's generator, not yet saved.</summary>
    public static NodeIdentity Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The 64-byte signature over <paramref name="statement"/>.</summary>
    public byte[] Sign(byte[] statement) => _key.SignData(statement, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>Saves the key pair, the private key sealed with <paramref name="key"/> and bound to <paramref name="clientId"/>.</summary>
    public void Save(StateFolder folder, string clientId, StateKey key)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var privateKey = _key.ExportPkcs8PrivateKey();
        try
        {
            var file = new IdentityFile(Convert.ToBase64String(PublicKey), Fingerprint, SecretSeal.Seal(Convert.ToBase64String(privateKey), Binding(clientId), key));
            folder.WriteFile(FileName, JsonSerializer.Serialize(file, DragonJson.Options));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    /// <summary>The public half only, for <c>identity</c>: no state key needed.</summary>
    /// <exception cref="NodeException">The folder holds no identity key.</exception>
    public static (byte[] PublicKey, string Fingerprint) ReadPublic(StateFolder folder)
    {
        var file = Read(folder);
        var publicKey = Convert.FromBase64String(file.PublicKey);
        return (publicKey, IdentityKeys.Fingerprint(publicKey));
    }

    /// <exception cref="NodeException">The folder holds no identity key, or it cannot be opened.</exception>
    public static NodeIdentity Open(StateFolder folder, NodeState state, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(state);
        var file = Read(folder);
        var key = StateKey.OpenFor(folder, file.PrivateKey.KeySource, environment);
        var privateKey = Convert.FromBase64String(SecretSeal.Open(file.PrivateKey, Binding(state.ClientId), key));
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportPkcs8PrivateKey(privateKey, out _);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
        var identity = new NodeIdentity(ecdsa);
        if (!identity.PublicKey.AsSpan().SequenceEqual(Convert.FromBase64String(file.PublicKey)))
        {
            identity.Dispose();
            throw new NodeException($"{FileName} in {folder.Path} is inconsistent: its private key does not belong to its public key.");
        }
        return identity;
    }

    public void Dispose() => _key.Dispose();

    private static IdentityFile Read(StateFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var text = folder.ReadFile(FileName)
            ?? throw new NodeException($"{folder.Path} holds no identity key ({FileName}): this node enrolled with an older agent; enroll again into a new state folder.");
        return JsonSerializer.Deserialize<IdentityFile>(text, DragonJson.Options) ?? throw new NodeException($"{FileName} in {folder.Path} is empty.");
    }

    private static string Binding(string clientId) => $"{clientId} identity key";

    /// <param name="PublicKey">Base64 of the DER SubjectPublicKeyInfo.</param>
    /// <param name="Fingerprint">For people reading the file; recomputed from the key, never trusted.</param>
    private sealed record IdentityFile(string PublicKey, string Fingerprint, SealedSecret PrivateKey);
}
