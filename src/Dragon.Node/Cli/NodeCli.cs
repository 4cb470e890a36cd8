using Dragon.Node.Agent;
using Dragon.Node.Audit;
using Dragon.Node.Catalogue;
using Dragon.Node.Consent;
using Dragon.Node.Enrollment;
using Dragon.Node.Jobs;
using Dragon.Node.Peers;

namespace Dragon.Node.Cli;

/// <summary>
/// The <c>dragon-node</c> command line. Results go to standard output (a node id, a cohort id, a code), messages to
/// standard error. Exit codes: 0 done, 1 the work failed, 2 the command line is wrong.
/// </summary>
public static class NodeCli
{
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;

    private static readonly string[] Usages =
        [EnrollCommand.Usage, CredentialsCommand.Usage, IdentityCommand.Usage, PeersCommand.Usage, PublishCohortCommand.Usage, ConsentCommand.Usage, LinkCodeCommand.Usage, EraseCommand.Usage, PolicyCommand.Usage, AuditCommand.Usage, RunCommand.Usage];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, NodeConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
        {
            await console.Out.WriteLineAsync(UsageText());
            return args.Count == 0 ? BadUsage : Succeeded;
        }
        try
        {
            var line = CommandLine.Parse(args, args[0] switch { PeersCommand.Name => PeersCommand.WordsIn(args), PolicyCommand.Name or AuditCommand.Name => 1, _ => 0 });
            return line.Command switch
            {
                EnrollCommand.Name => await EnrollCommand.RunAsync(line, console, cancellationToken),
                CredentialsCommand.Name => await CredentialsCommand.RunAsync(line, console, cancellationToken),
                IdentityCommand.Name => await IdentityCommand.RunAsync(line, console),
                PeersCommand.Name => await PeersCommand.RunAsync(line, console, TimeProvider.System),
                PublishCohortCommand.Name => await PublishCohortCommand.RunAsync(line, console, cancellationToken),
                ConsentCommand.Name => await ConsentCommand.RunAsync(line, console, cancellationToken),
                LinkCodeCommand.Name => await LinkCodeCommand.RunAsync(line, console, cancellationToken),
                EraseCommand.Name => await EraseCommand.RunAsync(line, console, cancellationToken),
                PolicyCommand.Name => await PolicyCommand.RunAsync(line, console),
                AuditCommand.Name => await AuditCommand.RunAsync(line, console, cancellationToken),
                RunCommand.Name => await RunCommand.RunAsync(line, console, cancellationToken),
                _ => throw new UsageException($"Unknown command '{line.Command}'."),
            };
        }
        catch (UsageException exception)
        {
            await console.Error.WriteLineAsync(exception.Message);
            await console.Error.WriteLineAsync(UsageText());
            return BadUsage;
        }
        catch (NodeException exception)
        {
            await console.Error.WriteLineAsync(exception.Message);
            return Failed;
        }
        catch (HttpRequestException exception)
        {
            await console.Error.WriteLineAsync($"Cannot reach the platform: {exception.Message}");
            return Failed;
        }
    }

    private static string UsageText() =>
        "usage: dragon-node <command> [options]" + Environment.NewLine +
        string.Join(Environment.NewLine, Usages.Select(u => "  " + u));
}
