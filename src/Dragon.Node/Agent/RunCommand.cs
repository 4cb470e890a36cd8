using System.Globalization;
using Dragon.Node.Cli;
using Dragon.Node.Platform;

namespace Dragon.Node.Agent;

/// <summary>
/// <c>run</c>: the long-running agent. Signs in, then every <c>--poll-seconds</c> (default 30) sends a heartbeat,
/// syncs the consent feed into the state folder and works through the node's tasks, until stopped (Ctrl+C).
/// </summary>
public static class RunCommand
{
    public const string Name = "run";
    public const string Usage = "run --state DIR --data COHORT_ID=FILE.csv [--data ...] [--poll-seconds N]";
    public const int DefaultPollSeconds = 30;

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        line.AllowOnly("state", "data", "poll-seconds");
        if (line.All("data").Count == 0)
        {
            throw new UsageException("run needs at least one --data COHORT_ID=FILE.csv.");
        }
        var data = DataFiles.Parse(line.All("data"));
        var interval = TimeSpan.FromSeconds(PollSeconds(line.Optional("poll-seconds")));
        using var session = await NodeSession.SignInAsync(line.Required("state"), console, cancellationToken);
        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Node {session.State.NodeId} running against {session.State.Platform} with {data.Count} data file(s); polling every {interval.TotalSeconds} s. Stop with Ctrl+C."));
        await new AgentLoop(session, console, data).RunAsync(interval, cancellationToken);
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
