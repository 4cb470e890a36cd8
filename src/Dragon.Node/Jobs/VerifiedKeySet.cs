using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>A key set member as this node verified it: its party index and identity key (base64 SubjectPublicKeyInfo).</summary>
public sealed record VerifiedMember(Guid NodeId, int PartyIndex, string PublicKey, string Fingerprint);

/// <summary>
/// A key set this node checked itself before using it (every member trusted, every share signed, the collective key
/// recomputed from the shares): kept as <c>key-set-{id}.verified.json</c> and used at every later task instead of
/// what the platform serves. <paramref name="DecryptedParts"/> counts the ciphertext parts this node has given
/// decryption shares for under it, against the smudging's lifetime.
/// </summary>
/// <param name="CollectivePublicKey">Base64 of the collective public key this node recomputed.</param>
public sealed record VerifiedKeySet(
    Guid KeySetId, string Parameters, string CommonSeed, IReadOnlyList<VerifiedMember> Members, string CollectivePublicKey, long DecryptedParts)
{
    public static string FileNameOf(Guid keySetId) => $"key-set-{keySetId:D}.verified.json";

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
}
