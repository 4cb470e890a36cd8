using System.Security.Cryptography;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Node.Agent;
using Dragon.Node.Platform;
using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>The public-key share this node made for a key set and its signature, kept as <c>key-share-{id}.json</c> so the same share is all it ever sends.</summary>
/// <param name="Share">Base64 of the serialized public-key share.</param>
/// <param name="Signature">Base64 of the signature over <see cref="SignedStatements.KeyShare"/>.</param>
public sealed record KeyShareRecord(Guid KeySetId, int PartyIndex, string Share, string Signature)
{
    public static string FileNameOf(Guid keySetId) => $"key-share-{keySetId:D}.json";

    public static KeyShareRecord? Find(StateFolder folder, Guid keySetId)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return folder.ReadJson<KeyShareRecord>(FileNameOf(keySetId));
    }
}

/// <summary>
/// The node's part in a key ceremony: a secret share made once per key set, and its public-key share signed with
/// the node's identity key over (key set, seed, party index, node, share digest). A repeated task never makes a new
/// secret: the node sends the share it made again.
/// </summary>
public sealed class KeyCeremony(StateFolder folder, PlatformClient platform, KeyShareSecrets secrets, NodeIdentity identity, TaskVerifier verifier, Guid nodeId)
{
    /// <returns>What was done, for the log.</returns>
    public async Task<string> ShareAsync(NodeTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (verifier.KeyShare(task, secrets.Exists(task.KeySetId)) is { } made)
        {
            await platform.UploadKeyShareAsync(task.KeySetId, new KeyShareUpload(made.Share, made.Signature), cancellationToken);
            return "refused to make a new secret (this node holds one for this key set); sent the share it made before.";
        }
        var partyIndex = verifier.PartyIndex(task, await platform.KeySetAsync(task.KeySetId, cancellationToken));
        var parameters = EncryptionParameters.FromPreset(task.Parameters);
        var seed = Convert.FromBase64String(task.CommonSeed);
        var secretKey = new KeyGenerator(parameters).SecretKey;
        var protocol = new PublicKeyGenProtocol(parameters);
        var share = protocol.AllocateShare();
        protocol.GenShare(secretKey, protocol.SampleCrp(seed), share);
        var bytes = share.ToArray();
        var signature = identity.Sign(SignedStatements.KeyShare(task.KeySetId, seed, partyIndex, nodeId, SHA256.HashData(bytes)));
        var record = new KeyShareRecord(task.KeySetId, partyIndex, Convert.ToBase64String(bytes), Convert.ToBase64String(signature));
        secrets.Save(task.KeySetId, secretKey);
        folder.WriteJson(KeyShareRecord.FileNameOf(task.KeySetId), record);
        await platform.UploadKeyShareAsync(task.KeySetId, new KeyShareUpload(record.Share, record.Signature), cancellationToken);
        return "share uploaded.";
    }
}
