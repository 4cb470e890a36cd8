using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;

namespace Dragon.Researcher;

/// <summary>
/// <c>dragon login</c>, <c>dragon run</c> and <c>dragon result</c>: a researcher's jobs from a terminal. Exit codes: 0 done,
/// 1 the command could not do its work (a refused job, a failed one, no session), 2 bad usage.
/// </summary>
public sealed class ResearcherCli(TextWriter output, TextWriter error, Func<Uri, HttpClient>? connect = null, Action<Uri>? openBrowser = null)
{
    private static readonly string[] Usage =
    [
        "usage: dragon <command> [options]",
        "  login --platform URL [--port 53682] [--session FILE]",
        "  run --agreement ID --key-set ID --cohorts ID[,ID...] --kind KIND [--variable V] [--bins A,B,...] [--group-by V[,V...]]",
        "      [--where \"VARIABLE OP VALUE\"]... [--csv FILE] [--session FILE]",
        "  result JOB [--csv FILE] [--session FILE]",
    ];

    private readonly Func<Uri, HttpClient> _connect = connect ?? (platform => new HttpClient { BaseAddress = platform });

    /// <summary>How often <c>run</c> asks whether the job is done.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            var options = Options.Parse(args.Skip(1));
            return args.FirstOrDefault() switch
            {
                "login" => await LoginAsync(options, cancellationToken),
                "run" => await RunJobAsync(options, cancellationToken),
                "result" => await ResultAsync(options, cancellationToken),
                _ => throw new ArgumentException("Unknown command."),
            };
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException)
        {
            await error.WriteLineAsync(exception.Message);
            await error.WriteLineAsync(string.Join(Environment.NewLine, Usage));
            return 2;
        }
        catch (Exception exception) when (exception is ResearcherException or HttpRequestException)
        {
            await error.WriteLineAsync(exception.Message);
            return 1;
        }
    }

    private async Task<int> LoginAsync(Options options, CancellationToken cancellationToken)
    {
        var platform = new Uri(options.Required("platform").TrimEnd('/') + "/");
        var port = int.Parse(options.One("port") ?? BrowserSignIn.DefaultPort.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        using var http = _connect(platform);
        var session = await new BrowserSignIn(http, openBrowser ?? OpenInBrowser).SignInAsync(port, cancellationToken);
        var path = options.One("session") ?? ResearcherSession.DefaultPath();
        session.Write(path);
        var me = await Authorized(http, session).GetFromJsonAsync<JsonElement>("api/v1/users/me", DragonJson.Options, cancellationToken);
        await output.WriteLineAsync($"Signed in to {platform} as {me.GetProperty("email").GetString()}; session kept in {path}.");
        return 0;
    }

    private async Task<int> RunJobAsync(Options options, CancellationToken cancellationToken)
    {
        var request = new JobRequest(
            Guid.Parse(options.Required("agreement")), Guid.Parse(options.Required("key-set")),
            [.. options.Required("cohorts").Split(',').Select(Guid.Parse)],
            [.. options.All("where").Select(Condition)],
            new AggregationSpec(options.Required("kind"), options.One("variable"),
                options.One("bins")?.Split(',').Select(b => double.Parse(b, CultureInfo.InvariantCulture)).ToList(),
                options.One("group-by")?.Split(',')));
        using (var http = await ConnectAsync(options, cancellationToken))
        {
            using var submitted = await http.PostAsJsonAsync("api/v1/jobs", request, DragonJson.Options, cancellationToken);
            var job = await ReadAsync<JobResponse>(submitted, "Submitting the job", cancellationToken);
            await error.WriteLineAsync($"Job {job.Id} submitted; waiting for its release.");
            while (job.Status is not ("released" or "failed" or "cancelled"))
            {
                await Task.Delay(PollInterval, cancellationToken);
                using var polled = await http.GetAsync($"api/v1/jobs/{job.Id}", cancellationToken);
                job = await ReadAsync<JobResponse>(polled, $"Reading job {job.Id}", cancellationToken);
            }
            return await PrintAsync(job, options, cancellationToken);
        }
    }

    private async Task<int> ResultAsync(Options options, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(options.Positional ?? throw new ArgumentException("result needs the job's id."));
        using (var http = await ConnectAsync(options, cancellationToken))
        {
            using var response = await http.GetAsync($"api/v1/jobs/{id}", cancellationToken);
            return await PrintAsync(await ReadAsync<JobResponse>(response, $"Reading job {id}", cancellationToken), options, cancellationToken);
        }
    }

    private async Task<int> PrintAsync(JobResponse job, Options options, CancellationToken cancellationToken)
    {
        if (job.Result is not { } result)
        {
            throw new ResearcherException($"Job {job.Id} is {job.Status}{(job.Failure is { } failure ? $": {failure}" : "; it has no result yet")}.");
        }
        var table = new ResultTable(result);
        await output.WriteAsync(table.ToText());
        if (options.One("csv") is { } csv)
        {
            await File.WriteAllTextAsync(csv, table.ToCsv(), cancellationToken);
            await error.WriteLineAsync($"Saved {csv}.");
        }
        return 0;
    }

    /// <summary>A client for the signed-in session's platform, its token renewed first when it has run out.</summary>
    private async Task<HttpClient> ConnectAsync(Options options, CancellationToken cancellationToken)
    {
        var path = options.One("session") ?? ResearcherSession.DefaultPath();
        var session = ResearcherSession.Read(path);
        var http = _connect(session.Platform);
        if (session.ExpiresAt < DateTimeOffset.UtcNow.AddMinutes(1))
        {
            session = await new BrowserSignIn(http, _ => { }).RefreshAsync(session, cancellationToken);
            session.Write(path);
        }
        return Authorized(http, session);
    }

    private static HttpClient Authorized(HttpClient http, ResearcherSession session)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        return http;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return await response.Content.ReadFromJsonAsync<T>(DragonJson.Options, cancellationToken) ?? throw new ResearcherException($"{what}: an empty answer.");
        }
        var problem = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new ResearcherException(response.StatusCode == HttpStatusCode.Unauthorized
            ? $"{what}: not signed in (or the session was revoked): run 'dragon login' again."
            : $"{what}: the platform answered {(int)response.StatusCode}: {problem}");
    }

    /// <summary><c>VARIABLE OP VALUE</c>: a number when it reads as one, a list for <c>in</c> (comma-separated), text otherwise.</summary>
    private static FilterCondition Condition(string text)
    {
        var parts = text.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 3)
        {
            throw new ArgumentException($"--where \"{text}\" is not VARIABLE OP VALUE.");
        }
        object value = parts[1] == "in"
            ? parts[2].Split(',').Select(Scalar).ToList()
            : Scalar(parts[2]);
        return new FilterCondition(parts[0], parts[1], JsonSerializer.SerializeToElement(value, DragonJson.Options));

        static object Scalar(string v) => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : v;
    }

    private void OpenInBrowser(Uri url)
    {
        output.WriteLine($"Opening {url} in your browser; if nothing opens, open it yourself.");
        try
        {
            Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "explorer" : OperatingSystem.IsMacOS() ? "open" : "xdg-open", url.ToString()) { UseShellExecute = false })?.Dispose();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No browser opener on this machine: the address is printed above.
        }
    }

    /// <summary><c>--name value</c> pairs (a name may repeat) and at most one positional argument.</summary>
    private sealed class Options
    {
        private readonly List<(string Name, string Value)> _pairs = [];

        public string? Positional { get; private set; }

        public static Options Parse(IEnumerable<string> args)
        {
            var options = new Options();
            using var items = args.GetEnumerator();
            while (items.MoveNext())
            {
                var arg = items.Current;
                if (arg.StartsWith("--", StringComparison.Ordinal))
                {
                    options._pairs.Add((arg[2..], items.MoveNext() ? items.Current : throw new ArgumentException($"{arg} needs a value.")));
                }
                else if (options.Positional is null)
                {
                    options.Positional = arg;
                }
                else
                {
                    throw new ArgumentException($"Unexpected argument '{arg}'.");
                }
            }
            return options;
        }

        public string? One(string name) => _pairs.LastOrDefault(p => p.Name == name).Value;

        public IEnumerable<string> All(string name) => _pairs.Where(p => p.Name == name).Select(p => p.Value);

        public string Required(string name) => One(name) ?? throw new ArgumentException($"--{name} is required.");
    }
}
