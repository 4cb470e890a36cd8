using System.Security.Cryptography;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Node.Agent;
using Dragon.Node.Platform;
using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>The public-key share this node made for a key set and its signature, kept as <c>key-share-{id}.json</c> so the same share is all it ever sends.</summary>
/// <param name="Share">Base64 of the serialized public-key share.</param>
/// <param name="Signature">Base64 of the signature over <see cref="SignedStatements.KeyShare"/> (or, in a t-of-N key set, <see cref="SignedStatements.ThresholdKeyShare"/>).</param>
/// <param name="ExchangeKey">In a t-of-N key set, base64 of the public half of this node's exchange key for it.</param>
public sealed record KeyShareRecord(Guid KeySetId, int PartyIndex, string Share, string Signature, string? ExchangeKey = null)
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
/// secret: the node sends the share it made again. In a t-of-N key set the node also makes an exchange key (its public
/// half signed with the share), then deals Shamir shares of its secret, one sealed to each member's exchange key
/// (<see cref="ThresholdShareSeal"/>), and later combines the shares dealt to it into its threshold share.
/// </summary>
public sealed class KeyCeremony(StateFolder folder, PlatformClient platform, KeyShareSecrets secrets, NodeIdentity identity, TaskVerifier verifier, Guid nodeId)
{
    public static string DealFileNameOf(Guid keySetId) => $"key-set-{keySetId:D}.dealt.json";

    /// <returns>What was done, for the log.</returns>
    public async Task<string> ShareAsync(NodeTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (verifier.KeyShare(task, secrets.Exists(task.KeySetId)) is { } made)
        {
            await platform.UploadKeyShareAsync(task.KeySetId, new KeyShareUpload(made.Share, made.Signature, made.ExchangeKey), cancellationToken);
            return "refused to make a new secret (this node holds one for this key set); sent the share it made before.";
        }
        var keySet = await platform.KeySetAsync(task.KeySetId, cancellationToken);
        var (partyIndex, threshold) = verifier.PartyIndex(task, keySet);
        var parameters = EncryptionParameters.FromPreset(task.Parameters);
        var seed = Convert.FromBase64String(task.CommonSeed);
        var secretKey = new KeyGenerator(parameters).SecretKey;
        var protocol = new PublicKeyGenProtocol(parameters);
        var share = protocol.AllocateShare();
        protocol.GenShare(secretKey, protocol.SampleCrp(seed), share);
        var bytes = share.ToArray();
        var members = keySet.Nodes.Count;
        byte[]? exchangeKey = null;
        if (threshold < members)
        {
            using var exchange = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            exchangeKey = exchange.ExportSubjectPublicKeyInfo();
            secrets.SaveExchangeKey(task.KeySetId, exchange);
        }
        var statement = exchangeKey is null
            ? SignedStatements.KeyShare(task.KeySetId, seed, partyIndex, nodeId, SHA256.HashData(bytes))
            : SignedStatements.ThresholdKeyShare(task.KeySetId, seed, partyIndex, nodeId, SHA256.HashData(bytes), threshold, members, exchangeKey);
        var record = new KeyShareRecord(task.KeySetId, partyIndex, Convert.ToBase64String(bytes), Convert.ToBase64String(identity.Sign(statement)),
            exchangeKey is null ? null : Convert.ToBase64String(exchangeKey));
        secrets.Save(task.KeySetId, secretKey);
        folder.WriteJson(KeyShareRecord.FileNameOf(task.KeySetId), record);
        await platform.UploadKeyShareAsync(task.KeySetId, new KeyShareUpload(record.Share, record.Signature, record.ExchangeKey), cancellationToken);
        return exchangeKey is null ? "share uploaded." : $"share and exchange key uploaded ({threshold}-of-{members} key set).";
    }

    /// <summary>
    /// Deals this node's secret to every member of a t-of-N key set, once: the roster is verified first (every member
    /// trusted, every share and exchange key signed, the collective key the sum of the shares); the sealed shares are
    /// kept, so a repeated task sends the same ones and never deals a second polynomial.
    /// </summary>
    /// <returns>What was done, for the log.</returns>
    public async Task<string> DealAsync(NodeTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (folder.ReadJson<ThresholdSharesUpload>(DealFileNameOf(task.KeySetId)) is { } dealt)
        {
            await platform.UploadThresholdSharesAsync(task.KeySetId, dealt, cancellationToken);
            return "sent the threshold shares dealt before again.";
        }
        var keySet = await verifier.KeySetAsync(task, platform.KeySetAsync, cancellationToken);
        if (!keySet.IsThreshold)
        {
            throw new TaskRefusedException($"Refused: key set {keySet.KeySetId} is N-of-N; there is nothing to deal.");
        }
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        var points = new Thresholdizer(parameters).Deal(secrets.Open(keySet.KeySetId, parameters), keySet.EffectiveThreshold, keySet.Members.Count);
        using var exchange = secrets.OpenExchangeKey(keySet.KeySetId);
        var shares = new List<SealedThresholdShare>();
        foreach (var member in keySet.Members)
        {
            var plain = points[member.PartyIndex].ToArray();
            var sealedShare = ThresholdShareSeal.Seal(exchange, Convert.FromBase64String(member.ExchangeKey!), keySet.KeySetId, nodeId, member.NodeId, plain);
            CryptographicOperations.ZeroMemory(plain);
            var signature = identity.Sign(SignedStatements.ThresholdShare(keySet.KeySetId, nodeId, member.NodeId, SHA256.HashData(sealedShare)));
            shares.Add(new SealedThresholdShare(nodeId, member.NodeId, Convert.ToBase64String(sealedShare), Convert.ToBase64String(signature)));
        }
        var upload = new ThresholdSharesUpload(shares);
        folder.WriteJson(DealFileNameOf(keySet.KeySetId), upload);
        await platform.UploadThresholdSharesAsync(keySet.KeySetId, upload, cancellationToken);
        return $"dealt threshold shares to the {shares.Count} members.";
    }

    /// <summary>
    /// This node's threshold share of a t-of-N key set: combined once from the share every member dealt it, each checked
    /// (signed by its dealer, sealed to this node by the dealer's exchange key, for this node's point and the threshold)
    /// before it is used, then kept sealed in the state folder.
    /// </summary>
    public async Task<ThresholdShare> ThresholdShareAsync(VerifiedKeySet keySet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keySet);
        var parameters = EncryptionParameters.FromPreset(keySet.Parameters);
        if (secrets.OpenThresholdShare(keySet.KeySetId, parameters) is { } combined)
        {
            return combined;
        }
        var received = verifier.ReceivedShares(keySet, await platform.ThresholdSharesAsync(keySet.KeySetId, cancellationToken));
        var own = keySet.Member(nodeId)!;
        using var exchange = secrets.OpenExchangeKey(keySet.KeySetId);
        var points = new List<ThresholdShare>();
        foreach (var (dealer, sealedShare) in received)
        {
            var plain = ThresholdShareSeal.Open(exchange, Convert.FromBase64String(dealer.ExchangeKey!), keySet.KeySetId, dealer.NodeId, nodeId, sealedShare)
                ?? throw new TaskRefusedException($"Refused: the threshold share member {dealer.NodeId} dealt this node for key set {keySet.KeySetId} does not open with their exchange keys.");
            try
            {
                var point = ThresholdShare.ReadFrom(plain, parameters);
                if (point.Point != own.Point || point.Threshold != keySet.EffectiveThreshold)
                {
                    throw new TaskRefusedException($"Refused: member {dealer.NodeId} dealt this node a share for point {point.Point} of a {point.Threshold}-of-N sharing; key set {keySet.KeySetId} gives it point {own.Point} of {keySet.EffectiveThreshold}.");
                }
                points.Add(point);
            }
            catch (InvalidFormatException exception)
            {
                throw new TaskRefusedException($"Refused: the threshold share member {dealer.NodeId} dealt this node for key set {keySet.KeySetId} is malformed: {exception.Message}");
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plain);
            }
        }
        combined = new Thresholdizer(parameters).Combine(points);
        secrets.SaveThresholdShare(keySet.KeySetId, combined);
        return combined;
    }
}
