using System.Globalization;
using Dragon.Node.Cli;
using Dragon.Node.Platform;

namespace Dragon.Node.Consent;

/// <summary>
/// <c>consent</c>: registers each row of a consents file; a refused row is reported with its line and the
/// platform's reason, the others still go through, and the command fails if any row failed.
/// </summary>
public static class ConsentCommand
{
    public const string Name = "consent";
    public const string Usage = "consent --state DIR --file consents.csv";

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        line.AllowOnly("state", "file");
        var path = line.Required("file");
        var rows = ConsentCsv.Read(path);
        using var session = await NodeSession.SignInAsync(line.Required("state"), console, cancellationToken);

        var failed = 0;
        foreach (var row in rows)
        {
            var problem = row.Problem;
            if (row.Request is not null)
            {
                try
                {
                    await session.Platform.RegisterConsentAsync(row.Request, cancellationToken);
                }
                catch (PlatformException exception)
                {
                    problem = exception.Message;
                }
            }
            if (problem is not null)
            {
                failed++;
                await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{path} line {row.Line}{(row.SubjectRef.Length > 0 ? $" (subject {row.SubjectRef})" : string.Empty)}: {problem}"));
            }
        }
        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Registered {rows.Count - failed} of {rows.Count} consents; {failed} failed."));
        return failed == 0 ? 0 : 1;
    }
}
