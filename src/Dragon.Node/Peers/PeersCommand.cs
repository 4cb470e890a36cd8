using System.Globalization;
using Dragon.Contracts.Nodes;
using Dragon.Node.Cli;
using Dragon.Node.State;

namespace Dragon.Node.Peers;

/// <summary>
/// <c>peers trust FPR</c>, <c>peers distrust FPR</c> and <c>peers list</c>: the identity fingerprints this node accepts
/// in a key set, compared with the other hospitals out of band (a call, a signed letter), never taken from the platform.
/// </summary>
public static class PeersCommand
{
    public const string Name = "peers";
    public const string Usage = "peers trust FINGERPRINT --state DIR [--name NAME] | peers distrust FINGERPRINT --state DIR | peers list --state DIR";

    /// <summary>How many words follow <c>peers</c> before its options: the action, and a fingerprint for trust and distrust.</summary>
    public static int WordsIn(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Count > 1 && args[1] is "trust" or "distrust" ? 2 : 1;
    }

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(time);
        var action = line.Words.Count > 0 ? line.Words[0] : throw new UsageException("peers needs an action: trust, distrust or list.");
        switch (action)
        {
            case "trust":
            {
                line.AllowOnly("state", "name");
                var fingerprint = Fingerprint(line);
                var peers = PeerTrust.Open(StateFolder.Open(line.Required("state")));
                var peer = peers.Trust(fingerprint, line.Optional("name"), time.GetUtcNow());
                await console.Error.WriteLineAsync($"Trusting {peer.Fingerprint}{(peer.Name is null ? "" : $" ({peer.Name})")} as a member of this node's key sets.");
                await console.Out.WriteLineAsync(peer.Fingerprint);
                return NodeCli.Succeeded;
            }
            case "distrust":
            {
                line.AllowOnly("state");
                var fingerprint = Fingerprint(line);
                if (!PeerTrust.Open(StateFolder.Open(line.Required("state"))).Distrust(fingerprint))
                {
                    throw new NodeException($"{fingerprint} is not a trusted peer of this node.");
                }
                await console.Error.WriteLineAsync($"No longer trusting {fingerprint}; key sets it is a member of are refused from now on.");
                return NodeCli.Succeeded;
            }
            case "list":
                line.AllowOnly("state");
                foreach (var peer in PeerTrust.Open(StateFolder.Open(line.Required("state"))).Peers.OrderBy(p => p.TrustedAt))
                {
                    await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{peer.Fingerprint}\t{peer.Name ?? "-"}\t{peer.TrustedAt:yyyy-MM-dd HH:mm}"));
                }
                return NodeCli.Succeeded;
            default:
                throw new UsageException($"peers does not know '{action}'; it takes trust, distrust or list.");
        }
    }

    private static string Fingerprint(CommandLine line)
    {
        var text = line.Words.Count > 1 ? line.Words[1] : throw new UsageException($"peers {line.Words[0]} needs the peer's fingerprint, as its 'dragon-node identity' prints it.");
        return IdentityKeys.NormalizeFingerprint(text)
            ?? throw new UsageException($"'{text}' is not an identity fingerprint: {IdentityKeys.FingerprintPrefix} and 64 hexadecimal digits, as 'dragon-node identity' prints it.");
    }
}
