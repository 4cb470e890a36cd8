using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dragon.Node.Cli;
using Dragon.Node.Platform;

namespace Dragon.Node.Consent;

/// <summary>
/// <c>consent</c>: registers the rows of a consents file, <see cref="BatchSize"/> to a request. A refused row is
/// reported with its line and the platform's reason, the others still go through, and the command fails if any
/// row failed.
/// </summary>
public static partial class ConsentCommand
{
    public const string Name = "consent";
    public const string Usage = "consent --state DIR --file consents.csv";

    /// <summary>Rows per request; the platform takes up to 1,000.</summary>
    public const int BatchSize = 500;

    /// <summary>How often, and how long apart, a batch is sent again while the platform answers 429 (busy with this node's other uploads).</summary>
    private const int MaxBusyRetries = 10;
    private static readonly TimeSpan BusyPause = TimeSpan.FromSeconds(1);

    [GeneratedRegex(@"^consents\[(\d+)\]")]
    private static partial Regex ItemField();

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        line.AllowOnly("state", "file");
        var path = line.Required("file");
        var rows = ConsentCsv.Read(path);
        using var session = await NodeSession.SignInAsync(line.Required("state"), console, cancellationToken);

        var problems = rows.Where(r => r.Problem is not null).Select(r => (r, r.Problem!)).ToList();
        // Row by row, a later row for the same subject and cohort used to win; it still does, and the earlier ones are skipped.
        var valid = rows.Where(r => r.Problem is null && r.Request is not null).ToList();
        var latest = valid.GroupBy(r => (r.Request!.CohortId, r.SubjectRef)).Select(g => g.Last()).ToHashSet();
        var superseded = valid.Where(r => !latest.Contains(r)).ToList();
        foreach (var batch in valid.Where(latest.Contains).Chunk(BatchSize))
        {
            problems.AddRange(await RegisterAsync(session.Platform, [.. batch], cancellationToken));
        }
        foreach (var row in superseded)
        {
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{path} line {row.Line} (subject {row.SubjectRef}): skipped, a later line of the file sets this subject's consent."));
        }
        foreach (var (row, problem) in problems.OrderBy(p => p.Item1.Line))
        {
            await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{path} line {row.Line}{(row.SubjectRef.Length > 0 ? $" (subject {row.SubjectRef})" : string.Empty)}: {problem}"));
        }
        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Registered {rows.Count - problems.Count - superseded.Count} of {rows.Count} consents; {superseded.Count} skipped; {problems.Count} failed."));
        return problems.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// Sends <paramref name="batch"/>. When the platform names refused rows, sends the others again without them; when
    /// the body is too large, sends each half; when a concurrent request won a race, tries once more; when the platform
    /// is busy (429), waits and tries again. Returns the rows that failed, with why.
    /// </summary>
    private static async Task<List<(ConsentRow Row, string Problem)>> RegisterAsync(
        PlatformClient platform, List<ConsentRow> batch, CancellationToken cancellationToken)
    {
        var failed = new List<(ConsentRow, string)>();
        var retried = false;
        var busy = 0;
        while (batch.Count > 0)
        {
            try
            {
                await platform.RegisterConsentsAsync([.. batch.Select(r => r.Request!)], cancellationToken);
                return failed;
            }
            catch (PlatformException exception) when (exception.Status == HttpStatusCode.RequestEntityTooLarge && batch.Count > 1)
            {
                failed.AddRange(await RegisterAsync(platform, batch[..(batch.Count / 2)], cancellationToken));
                failed.AddRange(await RegisterAsync(platform, batch[(batch.Count / 2)..], cancellationToken));
                return failed;
            }
            catch (PlatformException exception) when (exception.Status == HttpStatusCode.Conflict && !retried)
            {
                retried = true;
            }
            catch (PlatformException exception) when (exception.Status == HttpStatusCode.TooManyRequests && busy++ < MaxBusyRetries)
            {
                await Task.Delay(BusyPause, cancellationToken);
            }
            catch (PlatformException exception)
            {
                var refused = RefusedRows(exception, batch.Count);
                if (refused.Count == 0)
                {
                    failed.AddRange(batch.Select(r => (r, exception.Message)));
                    return failed;
                }
                failed.AddRange(refused.Select(pair => (batch[pair.Key], "the platform refused it: " + string.Join(" ", pair.Value))));
                batch = [.. batch.Where((_, index) => !refused.ContainsKey(index))];
            }
        }
        return failed;
    }

    /// <summary>The rows a validation problem names (<c>consents[3].status</c>), with their messages; empty if it names none.</summary>
    private static Dictionary<int, List<string>> RefusedRows(PlatformException exception, int count)
    {
        var refused = new Dictionary<int, List<string>>();
        if (exception.Status != HttpStatusCode.BadRequest)
        {
            return refused;
        }
        foreach (var (field, messages) in exception.Errors)
        {
            var match = ItemField().Match(field);
            if (!match.Success || !int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var index) || index >= count)
            {
                return [];
            }
            if (!refused.TryGetValue(index, out var list))
            {
                refused[index] = list = [];
            }
            list.AddRange(messages);
        }
        return refused;
    }
}
