using System.Security.Cryptography;
using Dragon.Homomorphic;
using Dragon.Node.Cli;
using Dragon.Node.State;

namespace Dragon.Node.Agent;

/// <summary>
/// The node's secret key for each key set it joined, in the engine's <see cref="SecretKeyFile"/> format, sealed
/// like the client secret (AES-256-GCM with the state key, bound to the client id and the key set) in the
/// owner-only file <c>key-set-{id}.json</c> of the state folder; for a t-of-N key set beside it, sealed the same way,
/// its exchange key and its combined threshold share.
/// </summary>
public sealed class KeyShareSecrets(StateFolder folder, NodeState state, Func<string, string?> environment)
{
    public static string FileNameOf(Guid keySetId) => $"key-set-{keySetId:D}.json";

    /// <summary>The private half of the node's exchange key for a t-of-N key set (PKCS#8, sealed).</summary>
    public static string ExchangeKeyFileNameOf(Guid keySetId) => $"key-set-{keySetId:D}.exchange.json";

    /// <summary>The node's share of a t-of-N key set's collective secret, combined from what every member dealt it (sealed).</summary>
    public static string ThresholdShareFileNameOf(Guid keySetId) => $"key-set-{keySetId:D}.threshold.json";

    public bool Exists(Guid keySetId) => folder.ReadFile(FileNameOf(keySetId)) is not null;

    public void Save(Guid keySetId, SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        Seal(FileNameOf(keySetId), Binding(keySetId), SecretKeyFile.ToArray(secretKey));
    }

    /// <exception cref="NodeException">The node holds no key for the key set, or it cannot be opened.</exception>
    public SecretKey Open(Guid keySetId, EncryptionParameters parameters) =>
        SecretKeyFile.Read(Unseal(FileNameOf(keySetId), Binding(keySetId)) ?? throw new NodeException($"This node holds no secret key for key set {keySetId}."), parameters);

    public void SaveExchangeKey(Guid keySetId, ECDiffieHellman exchangeKey)
    {
        ArgumentNullException.ThrowIfNull(exchangeKey);
        Seal(ExchangeKeyFileNameOf(keySetId), Binding(keySetId) + " exchange", exchangeKey.ExportPkcs8PrivateKey());
    }

    /// <exception cref="NodeException">The node holds no exchange key for the key set, or it cannot be opened.</exception>
    public ECDiffieHellman OpenExchangeKey(Guid keySetId)
    {
        var bytes = Unseal(ExchangeKeyFileNameOf(keySetId), Binding(keySetId) + " exchange")
            ?? throw new NodeException($"This node holds no exchange key for key set {keySetId}.");
        var key = ECDiffieHellman.Create();
        key.ImportPkcs8PrivateKey(bytes, out _);
        CryptographicOperations.ZeroMemory(bytes);
        return key;
    }

    public void SaveThresholdShare(Guid keySetId, ThresholdShare share)
    {
        ArgumentNullException.ThrowIfNull(share);
        Seal(ThresholdShareFileNameOf(keySetId), Binding(keySetId) + " threshold", share.ToArray());
    }

    /// <summary>The combined threshold share, or null when this node has not combined it yet.</summary>
    /// <exception cref="NodeException">The file cannot be opened.</exception>
    public ThresholdShare? OpenThresholdShare(Guid keySetId, EncryptionParameters parameters) =>
        Unseal(ThresholdShareFileNameOf(keySetId), Binding(keySetId) + " threshold") is { } bytes ? ThresholdShare.ReadFrom(bytes, parameters) : null;

    private void Seal(string fileName, string binding, byte[] secret)
    {
        var key = StateKey.OpenFor(folder, state.ClientSecret.KeySource, environment);
        var sealedKey = SecretSeal.Seal(Convert.ToBase64String(secret), binding, key);
        CryptographicOperations.ZeroMemory(secret);
        folder.WriteFile(fileName, System.Text.Json.JsonSerializer.Serialize(sealedKey, Contracts.Common.DragonJson.Options));
    }

    private byte[]? Unseal(string fileName, string binding)
    {
        if (folder.ReadFile(fileName) is not { } text)
        {
            return null;
        }
        var sealedKey = System.Text.Json.JsonSerializer.Deserialize<SealedSecret>(text, Contracts.Common.DragonJson.Options)
            ?? throw new NodeException($"{fileName} is empty.");
        var key = StateKey.OpenFor(folder, sealedKey.KeySource, environment);
        return Convert.FromBase64String(SecretSeal.Open(sealedKey, binding, key));
    }

    private string Binding(Guid keySetId) => $"{state.ClientId} key set {keySetId:D}";
}
