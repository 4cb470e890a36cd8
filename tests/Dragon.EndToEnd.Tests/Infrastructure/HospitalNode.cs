using Dragon.Platform.Api.Demo;

namespace Dragon.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A demo hospital whose <c>dragon-node</c> runs as separate processes: one per command, and a long-running
/// <c>run</c> that can be stopped like a crashed server.
/// </summary>
public sealed class HospitalNode(DemoHospital hospital, int patients, Uri platform, string folder)
    : DemoNode(hospital, folder, platform, patients, TextWriter.Null), IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private ChildProcess? _agent;

    public string AgentOutput => _agent?.Output ?? "";

    /// <param name="fileSizeLimitKiB">No file the agent writes may grow past this (see <see cref="ChildProcess.Start"/>): a disk that fills up.</param>
    public void StartAgent(int? fileSizeLimitKiB = null)
    {
        _agent?.Dispose();
        _agent = ChildProcess.Start(BuildOutput.NodeAgent, RunArguments(TimeSpan.FromSeconds(0.3)), NoStateKey, Folder, fileSizeLimitKiB);
    }

    /// <summary>Waits for the agent to stop by itself and returns its exit code.</summary>
    public Task<int> WaitForAgentExitAsync(TimeSpan timeout) => _agent!.WaitForExitAsync(timeout);

    /// <summary>Kills the agent process, as a crashed or switched-off server would stop.</summary>
    public void StopAgent() => _agent?.Kill();

    public void Dispose() => _agent?.Dispose();

    protected override async Task<string> CommandAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var command = ChildProcess.Start(BuildOutput.NodeAgent, args, NoStateKey, Folder);
        var code = await command.WaitForExitAsync(CommandTimeout);
        Assert.True(code == 0, $"dragon-node {args[0]} at {Hospital.Name} exited with {code}:\n{command.Output}");
        return command.StandardOutput.Trim().Split('\n')[^1].Trim();
    }

    // Each node keeps the key that seals its client secret in its own state folder.
    private static readonly Dictionary<string, string> NoStateKey = new() { ["DRAGON_NODE_STATE_KEY"] = "" };
}
