using System.Globalization;
using Dragon.Node.Cli;
using Dragon.Node.Platform;

namespace Dragon.Node.Agent;

/// <summary>
/// <c>run</c>: the long-running agent. Signs in, then every <c>--poll-seconds</c> (default 30) sends a heartbeat,
/// syncs the consent feed into the state folder and works through the node's tasks, until stopped (Ctrl+C). Key sets are
/// accepted only when every member is a pinned peer (<c>peers trust</c>), unless <c>--trust-platform-roster</c> is given.
/// </summary>
public static class RunCommand
{
    public const string Name = "run";
    public const string Usage = "run --state DIR (--data COHORT_ID=FILE.csv | --data-table COHORT_ID=PROVIDER:TABLE) [--data ... | --data-table ...] [--poll-seconds N] [--trust-platform-roster]";
    public const int DefaultPollSeconds = 30;

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        line.AllowOnly("state", "data", "data-table", "poll-seconds", "trust-platform-roster");
        if (line.All("data").Count == 0 && line.All("data-table").Count == 0)
        {
            throw new UsageException($"run needs at least one --data COHORT_ID=FILE.csv or --data-table {DataTables.Format}.");
        }
        var files = DataFiles.Parse(line.All("data"));
        var tables = DataTables.Parse(line.All("data-table"));
        var interval = TimeSpan.FromSeconds(PollSeconds(line.Optional("poll-seconds")));
        using var session = await NodeSession.SignInAsync(line.Required("state"), console, cancellationToken);
        var sources = LocalDataSources.Open(files, tables, session.Folder, console.Environment);
        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Node {session.State.NodeId} running against {session.State.Platform} with {files.Count} data file(s) and {tables.Count} data table(s); polling every {interval.TotalSeconds} s. Stop with Ctrl+C."));
        var trustRoster = line.Flag("trust-platform-roster");
        if (trustRoster)
        {
            await console.Error.WriteLineAsync(
                "WARNING: --trust-platform-roster: this node accepts every identity key the platform lists for a key set's members. A platform that " +
                "adds members of its own can then decrypt what this node contributes. Pin the consortium's members with 'dragon-node peers trust' instead.");
        }
        using var tracing = AgentTelemetry.Start(console.Environment, session.State.NodeId);
        using var agent = new AgentLoop(session, console, sources, trustRoster);
        await agent.RunAsync(interval, cancellationToken);
        await console.Error.WriteLineAsync("Stopped.");
        return NodeCli.Succeeded;
    }

    private static double PollSeconds(string? text)
    {
        if (text is null)
        {
            return DefaultPollSeconds;
        }
        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : throw new UsageException($"--poll-seconds must be a positive number of seconds, not '{text}'.");
    }
}
