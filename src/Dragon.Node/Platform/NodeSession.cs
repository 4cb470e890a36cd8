using Dragon.Node.Cli;
using Dragon.Node.State;

namespace Dragon.Node.Platform;

/// <summary>An enrolled node signed in to its platform: its state folder, its state, and an authorized client.</summary>
public sealed class NodeSession : IDisposable
{
    private NodeSession(StateFolder folder, NodeState state, PlatformClient platform)
    {
        Folder = folder;
        State = state;
        Platform = platform;
    }

    public StateFolder Folder { get; }

    public NodeState State { get; private set; }

    public PlatformClient Platform { get; }

    /// <summary>Opens the state folder, unseals the client secret and gets an access token with it.</summary>
    /// <exception cref="NodeException">The state cannot be read or the platform refuses the node.</exception>
    public static async Task<NodeSession> SignInAsync(string stateFolder, NodeConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var folder = StateFolder.Open(stateFolder);
        var state = folder.ReadState();
        var secret = folder.OpenSecret(state, console.Environment);
        var platform = new PlatformClient(state.Platform, console.Handler());
        try
        {
            await platform.SignInAsync(state.NodeId, state.ClientId, secret, cancellationToken);
        }
        catch
        {
            platform.Dispose();
            throw;
        }
        return new NodeSession(folder, state, platform);
    }

    /// <summary>Gets a new access token with the client credentials, when the current one has expired.</summary>
    public async Task RenewTokenAsync(NodeConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var secret = Folder.OpenSecret(State, console.Environment);
        await Platform.SignInAsync(State.NodeId, State.ClientId, secret, cancellationToken);
    }

    /// <summary>Remembers a published cohort by name, so publishing the same name again updates it.</summary>
    public void RememberCohort(string name, Guid id)
    {
        var cohorts = new Dictionary<string, Guid>(State.Cohorts, StringComparer.Ordinal) { [name] = id };
        State = State with { Cohorts = cohorts };
        Folder.WriteState(State);
    }

    public void Dispose() => Platform.Dispose();
}
