using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>
/// A key set member as this node verified it: its party index and identity key (base64 SubjectPublicKeyInfo) and, in a
/// t-of-N key set, the exchange key its signature covers.
/// </summary>
public sealed record VerifiedMember(Guid NodeId, int PartyIndex, string PublicKey, string Fingerprint, string? ExchangeKey = null)
{
    /// <summary>Its point in the threshold sharing: party index + 1.</summary>
    public int Point => PartyIndex + 1;
}

/// <summary>
/// A key set this node checked itself before using it (every member trusted, every share signed, the collective key
/// recomputed from the shares): written once as <c>key-set-{id}.verified.json</c> and used at every later task instead
/// of what the platform serves. How many ciphertext parts this node has given decryption shares for under it, against
/// the smudging's lifetime, is counted beside it in <c>key-set-{id}.decrypted-parts</c>.
/// </summary>
/// <param name="CollectivePublicKey">Base64 of the collective public key this node recomputed.</param>
/// <param name="Threshold">How many members decrypt together; 0 (as in records made before thresholds) means all.</param>
public sealed record VerifiedKeySet(
    Guid KeySetId, string Parameters, string CommonSeed, IReadOnlyList<VerifiedMember> Members, string CollectivePublicKey, int Threshold = 0)
{
    public int EffectiveThreshold => Threshold is > 0 ? Threshold : Members.Count;

    public bool IsThreshold => EffectiveThreshold < Members.Count;

    public static string FileNameOf(Guid keySetId) => $"key-set-{keySetId:D}.verified.json";

    public static string DecryptedPartsFileNameOf(Guid keySetId) => $"key-set-{keySetId:D}.decrypted-parts";

    /// <summary>The ciphertext parts this node has given decryption shares for under the key set.</summary>
    /// <exception cref="Cli.NodeException">The count is not a number.</exception>
    public long DecryptedParts(StateFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var text = folder.ReadFile(DecryptedPartsFileNameOf(KeySetId));
        return text is null ? 0
            : long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parts) ? parts
            : throw new Cli.NodeException($"{DecryptedPartsFileNameOf(KeySetId)} in {folder.Path} is not a count; this node will not decrypt under key set {KeySetId} until it is.");
    }

    /// <summary>Counts <paramref name="parts"/> more, before the share that uses them exists.</summary>
    public void CountDecryption(StateFolder folder, int parts)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder.WriteFile(DecryptedPartsFileNameOf(KeySetId), (DecryptedParts(folder) + parts).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static VerifiedKeySet? Find(StateFolder folder, Guid keySetId)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return folder.ReadJson<VerifiedKeySet>(FileNameOf(keySetId));
    }

    public void Save(StateFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder.WriteJson(FileNameOf(KeySetId), this);
    }

    public VerifiedMember? Member(Guid nodeId) => Members.FirstOrDefault(m => m.NodeId == nodeId);

    /// <summary>How a job of this kind spreads its numbers over plaintext slots under this key set (<see cref="Contracts.Jobs.SlotLimbs"/>).</summary>
    public Contracts.Jobs.SlotLimbs Limbs(string? kind) =>
        Contracts.Jobs.SlotLimbs.For(new Homomorphic.IntegerEncoder(Homomorphic.EncryptionParameters.FromPreset(Parameters)).MaxValue, Members.Count, kind);
}
