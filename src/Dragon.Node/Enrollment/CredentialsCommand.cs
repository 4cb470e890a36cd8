using Dragon.Node.Cli;
using Dragon.Node.Platform;
using Dragon.Node.State;

namespace Dragon.Node.Enrollment;

/// <summary>
/// <c>credentials</c>: installs the new client secret an administrator issued when reinstating a suspended node
/// (<c>POST /api/v1/nodes/{id}/reinstate</c>). The secret is read from a file, never from the command line (which
/// other users of the machine can see), checked by signing in with it, and only then sealed into the state folder in
/// place of the old one, under the same state key.
/// </summary>
public static class CredentialsCommand
{
    public const string Name = "credentials";
    public const string Usage = "credentials --state DIR --secret-file FILE";

    /// <summary>A client secret is a short token; a larger file is not one.</summary>
    private const int MaxSecretBytes = 1024;

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        line.AllowOnly("state", "secret-file");
        var folder = StateFolder.Open(line.Required("state"));
        var state = folder.ReadState();
        var secret = ReadSecret(line.Required("secret-file"));

        using (var platform = new PlatformClient(state.Platform, console.Handler()))
        {
            await platform.SignInAsync(state.NodeId, state.ClientId, secret, cancellationToken);
        }
        var key = StateKey.OpenFor(folder, state.ClientSecret.KeySource, console.Environment);
        folder.WriteState(state with { ClientSecret = SecretSeal.Seal(secret, state.ClientId, key) });
        await console.Error.WriteLineAsync($"Node {state.NodeId} signed in with the new client secret, now sealed in {folder.Path}; delete the file it came in.");
        return NodeCli.Succeeded;
    }

    private static string ReadSecret(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.Length is 0 or > MaxSecretBytes)
        {
            throw new NodeException($"{path} does not hold a client secret (a file of 1 to {MaxSecretBytes} bytes).");
        }
        var secret = File.ReadAllText(path).Trim();
        return secret.Length > 0 && !secret.Any(char.IsWhiteSpace) ? secret : throw new NodeException($"{path} does not hold a client secret (one line without spaces).");
    }
}
