using Dragon.Node.Cli;
using Dragon.Node.State;

namespace Dragon.Node.Peers;

/// <summary><c>identity</c>: prints this node's identity fingerprint, for the other hospitals to pin with <c>peers trust</c>.</summary>
public static class IdentityCommand
{
    public const string Name = "identity";
    public const string Usage = "identity --state DIR";

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        line.AllowOnly("state");
        var folder = StateFolder.Open(line.Required("state"));
        var state = folder.ReadState();
        var (publicKey, fingerprint) = NodeIdentity.ReadPublic(folder);
        await console.Error.WriteLineAsync($"Node {state.NodeId}: identity key (ECDSA P-256) {Convert.ToBase64String(publicKey)}");
        await console.Out.WriteLineAsync(fingerprint);
        return NodeCli.Succeeded;
    }
}
