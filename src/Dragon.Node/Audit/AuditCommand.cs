using System.Globalization;
using Dragon.Node.Cli;
using Dragon.Node.Platform;
using Dragon.Node.State;

namespace Dragon.Node.Audit;

/// <summary>
/// <c>audit verify</c> checks the node's own audit log (every link, hash and signature), then holds it against the
/// platform's audit trail of this node's events (<see cref="NodeAuditCrossCheck"/>); <c>audit export</c> writes the
/// entries of a period as CSV and as a readable HTML page, for the hospital's data protection officer.
/// </summary>
public static class AuditCommand
{
    public const string Name = "audit";
    public const string Usage = "audit verify --state DIR | audit export --state DIR --out DIR [--from YYYY-MM-DD] [--to YYYY-MM-DD]";

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        var action = line.Words.Count > 0 ? line.Words[0] : throw new UsageException("audit needs an action: verify or export.");
        var folder = StateFolder.Open(line.Required("state"));
        var log = NodeAuditLog.Open(folder);
        switch (action)
        {
            case "verify":
            {
                line.AllowOnly("state");
                var (publicKey, _) = NodeIdentity.ReadPublic(folder);
                log.VerifyOrThrow(publicKey);
                var records = log.Read();
                await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{NodeAuditLog.FileName}: {records.Count} entries; every link, hash and signature holds."));
                using var session = await NodeSession.SignInAsync(line.Required("state"), console, cancellationToken);
                var problems = NodeAuditCrossCheck.Compare(records,
                    await session.Platform.OwnAuditEventsAsync(0, cancellationToken), await session.Platform.AuditKeysAsync(cancellationToken));
                foreach (var problem in problems)
                {
                    await console.Out.WriteLineAsync(problem);
                }
                await console.Error.WriteLineAsync(problems.Count == 0
                    ? "The platform's audit trail agrees with this node's log: every upload is there as receipted, and nothing more."
                    : string.Create(CultureInfo.InvariantCulture, $"The platform's audit trail and this node's log disagree in {problems.Count} place(s), listed above."));
                return problems.Count == 0 ? NodeCli.Succeeded : NodeCli.Failed;
            }
            case "export":
            {
                line.AllowOnly("state", "out", "from", "to");
                var from = Day(line.Optional("from"), "from");
                var to = Day(line.Optional("to"), "to");
                var records = log.Read(from, to?.AddDays(1));
                var output = Directory.CreateDirectory(line.Required("out")).FullName;
                var state = folder.ReadState();
                var period = $"{from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "the start"} to {to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "today"}";
                var csv = Path.Combine(output, "node-audit.csv");
                var html = Path.Combine(output, "node-audit.html");
                await File.WriteAllTextAsync(csv, NodeAuditReport.Csv(records), cancellationToken);
                await File.WriteAllTextAsync(html, NodeAuditReport.Html(records, state.NodeId, period), cancellationToken);
                await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{records.Count} entries from {period} written to {csv} and {html}."));
                await console.Out.WriteLineAsync(html);
                return NodeCli.Succeeded;
            }
            default:
                throw new UsageException($"Unknown audit action '{action}': verify or export.");
        }
    }

    private static DateTimeOffset? Day(string? text, string name) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : throw new UsageException($"--{name} takes a date as YYYY-MM-DD, not '{text}'.");
}
