using Dragon.Homomorphic;
using Dragon.Node.Cli;
using Dragon.Node.State;

namespace Dragon.Node.Agent;

/// <summary>
/// The node's secret key for each key set it joined, in the engine's <see cref="SecretKeyFile"/> format, sealed
/// like the client secret (AES-256-GCM with the state key, bound to the client id and the key set) in the
/// owner-only file <c>key-set-{id}.json</c> of the state folder.
/// </summary>
public sealed class KeyShareSecrets(StateFolder folder, NodeState state, Func<string, string?> environment)
{
    public static string FileNameOf(Guid keySetId) => $"key-set-{keySetId:D}.json";

    public bool Exists(Guid keySetId) => folder.ReadFile(FileNameOf(keySetId)) is not null;

    public void Save(Guid keySetId, SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        var key = StateKey.OpenFor(folder, state.ClientSecret.KeySource, environment);
        var sealedKey = SecretSeal.Seal(Convert.ToBase64String(SecretKeyFile.ToArray(secretKey)), Binding(keySetId), key);
        folder.WriteFile(FileNameOf(keySetId), System.Text.Json.JsonSerializer.Serialize(sealedKey, Contracts.Common.DragonJson.Options));
    }

    /// <exception cref="NodeException">The node holds no key for the key set, or it cannot be opened.</exception>
    public SecretKey Open(Guid keySetId, EncryptionParameters parameters)
    {
        var text = folder.ReadFile(FileNameOf(keySetId))
            ?? throw new NodeException($"This node holds no secret key for key set {keySetId}.");
        var sealedKey = System.Text.Json.JsonSerializer.Deserialize<SealedSecret>(text, Contracts.Common.DragonJson.Options)
            ?? throw new NodeException($"{FileNameOf(keySetId)} is empty.");
        var key = StateKey.OpenFor(folder, sealedKey.KeySource, environment);
        var bytes = Convert.FromBase64String(SecretSeal.Open(sealedKey, Binding(keySetId), key));
        return SecretKeyFile.Read(bytes, parameters);
    }

    private string Binding(Guid keySetId) => $"{state.ClientId} key set {keySetId:D}";
}
