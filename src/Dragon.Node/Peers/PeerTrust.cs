using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Node.Cli;
using Dragon.Node.State;

namespace Dragon.Node.Peers;

/// <summary>A peer this node's operator pinned by its identity fingerprint, compared out of band.</summary>
public sealed record TrustedPeer(string Fingerprint, string? Name, DateTimeOffset TrustedAt);

/// <summary>
/// Which identity keys this node accepts in a key set's roster: the fingerprints pinned with <c>peers trust</c>
/// (kept in <c>peers.json</c> in the state folder), or, with <c>--trust-platform-roster</c>, whatever keys the platform
/// lists, which is only as trustworthy as the platform.
/// </summary>
public sealed class PeerTrust
{
    public const string FileName = "peers.json";

    private readonly StateFolder _folder;
    private readonly List<TrustedPeer> _peers;

    private PeerTrust(StateFolder folder, List<TrustedPeer> peers, bool trustPlatformRoster)
    {
        _folder = folder;
        _peers = peers;
        TrustsPlatformRoster = trustPlatformRoster;
    }

    public IReadOnlyList<TrustedPeer> Peers => _peers;

    public bool TrustsPlatformRoster { get; }

    /// <exception cref="NodeException">The file is not valid.</exception>
    public static PeerTrust Open(StateFolder folder, bool trustPlatformRoster = false)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var text = folder.ReadFile(FileName);
        try
        {
            var peers = text is null ? [] : JsonSerializer.Deserialize<List<TrustedPeer>>(text, DragonJson.Options) ?? [];
            return new PeerTrust(folder, peers, trustPlatformRoster);
        }
        catch (JsonException exception)
        {
            throw new NodeException($"{FileName} in {folder.Path} is not valid: {exception.Message}", exception);
        }
    }

    /// <summary>Whether a member with this fingerprint may be part of a key set this node uses.</summary>
    public bool Trusts(string fingerprint) => TrustsPlatformRoster || _peers.Any(p => p.Fingerprint == fingerprint);

    /// <summary>Pins a fingerprint (already in its one form); pinning one again only updates its name.</summary>
    public TrustedPeer Trust(string fingerprint, string? name, DateTimeOffset now)
    {
        var peer = new TrustedPeer(fingerprint, name, _peers.FirstOrDefault(p => p.Fingerprint == fingerprint)?.TrustedAt ?? now);
        _peers.RemoveAll(p => p.Fingerprint == fingerprint);
        _peers.Add(peer);
        _folder.WriteFile(FileName, JsonSerializer.Serialize(_peers, DragonJson.Options));
        return peer;
    }

    /// <summary>Unpins a fingerprint; false when it was not pinned.</summary>
    public bool Distrust(string fingerprint)
    {
        var removed = _peers.RemoveAll(p => p.Fingerprint == fingerprint) > 0;
        if (removed)
        {
            _folder.WriteFile(FileName, JsonSerializer.Serialize(_peers, DragonJson.Options));
        }
        return removed;
    }
}
