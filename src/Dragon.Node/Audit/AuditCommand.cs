using System.Globalization;
using Dragon.Node.Cli;
using Dragon.Node.State;

namespace Dragon.Node.Audit;

/// <summary>
/// <c>audit verify</c> checks the node's own audit log (every link, hash and signature); <c>audit export</c> writes the
/// entries of a period as CSV and as a readable HTML page, for the hospital's data protection officer.
/// </summary>
public static class AuditCommand
{
    public const string Name = "audit";
    public const string Usage = "audit verify --state DIR | audit export --state DIR --out DIR [--from YYYY-MM-DD] [--to YYYY-MM-DD]";

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console)
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
                var count = log.Read().Count;
                await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{NodeAuditLog.FileName}: {count} entries; every link, hash and signature holds."));
                await console.Out.WriteLineAsync(count.ToString(CultureInfo.InvariantCulture));
                return NodeCli.Succeeded;
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
                await File.WriteAllTextAsync(csv, NodeAuditReport.Csv(records));
                await File.WriteAllTextAsync(html, NodeAuditReport.Html(records, state.NodeId, period));
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
