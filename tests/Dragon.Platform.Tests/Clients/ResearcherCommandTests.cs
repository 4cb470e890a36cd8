using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Dragon.Platform.Tests.Jobs;
using Dragon.Platform.Tests.Portal;
using Dragon.Researcher;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dragon.Platform.Tests.Clients;

/// <summary>
/// The researcher's <c>dragon</c> command against a real host: <c>login</c> opens the platform's sign-in page (played by a
/// cookie-keeping client as the person's browser) and receives the code on its loopback address over a real socket;
/// <c>run</c> submits a count, waits while three nodes contribute, prints the released table and saves it as CSV;
/// <c>result</c> prints it again; a session file is owner-only.
/// </summary>
public sealed partial class ResearcherCommandTests
{
    [Fact]
    public async Task LoginThroughTheBrowser_ThenRun_PrintsTheReleasedTableAndSavesItAsCsv()
    {
        var port = FreePort();
        using var factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, settings: new Dictionary<string, string>
        {
            ["Identity:CliRedirectUris:0"] = $"http://127.0.0.1:{port}/callback",
        });
        var folder = Directory.CreateTempSubdirectory("dragon-cli-");
        try
        {
            var s = await JobScenario.CreateAsync(factory);
            var session = Path.Combine(folder.FullName, "session.json");
            var csv = Path.Combine(folder.FullName, "result.csv");
            var (output, error) = (new StringWriter(), new StringWriter());
            var opened = new TaskCompletionSource<Uri>();
            var cli = new ResearcherCli(TextWriter.Synchronized(output), TextWriter.Synchronized(error),
                platform => factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = platform }), opened.SetResult)
            {
                PollInterval = TimeSpan.FromMilliseconds(100),
            };

            var login = cli.RunAsync(["login", "--platform", "http://localhost", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--session", session], CancellationToken.None);
            var landing = await SignInInTheBrowserAsync(factory, await opened.Task.WaitAsync(TimeSpan.FromSeconds(30)), s.Researcher.User.Email);

            Assert.Contains("You are signed in", landing, StringComparison.Ordinal);
            Assert.True(await login == 0, error.ToString());
            Assert.Contains($"as {s.Researcher.User.Email}", output.ToString(), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(session));
            }

            var run = cli.RunAsync(["run", "--agreement", s.AgreementId.ToString(), "--key-set", s.KeySetId.ToString(), "--cohorts", string.Join(',', s.Cohorts.Select(c => c.Id)),
                "--kind", "count", "--where", "age ge 18", "--csv", csv, "--session", session], CancellationToken.None);
            var jobId = await SubmittedJobAsync(error);
            var submitted = await (await s.Researcher.Client.GetAsync($"/api/v1/jobs/{jobId}")).ReadAsAsync<JobResponse>(HttpStatusCode.OK);
            await s.RunAsync(submitted, [2], [3], [4]);

            Assert.True(await run == 0, error.ToString());
            Assert.Equal("ge", submitted.Filter.Single().Op);
            var table = output.ToString().Split('\n').SkipWhile(line => !line.StartsWith("value", StringComparison.Ordinal)).ToList();
            Assert.Matches(@"^value\s+low\s+high\s+suppressed", table[0]);
            Assert.Matches(@"^9\s+no", table[1]);
            Assert.Equal("value,low,high,suppressed\r\n9,,,no\r\n", await File.ReadAllTextAsync(csv));

            output.GetStringBuilder().Clear();
            Assert.Equal(0, await cli.RunAsync(["result", jobId.ToString(), "--session", session], CancellationToken.None));
            Assert.Matches(@"(?m)^9\s+no", output.ToString());
        }
        finally
        {
            folder.Delete(recursive: true);
            factory.DropDatabase();
        }
    }

    [Fact]
    public async Task WithoutASession_RunSaysHowToSignIn_AndBadUsageShowsTheUsage()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var cli = new ResearcherCli(output, error);

        var unsigned = await cli.RunAsync(["result", Guid.NewGuid().ToString(), "--session", Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.json")], CancellationToken.None);
        var unknown = await cli.RunAsync(["fly"], CancellationToken.None);
        var badId = await cli.RunAsync(["result", "not-a-job"], CancellationToken.None);

        Assert.Equal(1, unsigned);
        Assert.Contains("dragon login --platform URL", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, unknown);
        Assert.Equal(2, badId);
        Assert.Contains("usage: dragon", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>What the person does in their browser: the platform's login page, its consent page, then back to the command's loopback address.</summary>
    private static async Task<string> SignInInTheBrowserAsync(DragonApiFactory factory, Uri authorize, string email)
    {
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var toLogin = await browser.GetAsync(authorize.PathAndQuery);
        var loginPage = await browser.GetStringAsync(toLogin.Headers.Location);
        var form = PortalSession.HiddenFields(loginPage);
        form.Add(KeyValuePair.Create("email", email));
        form.Add(KeyValuePair.Create("password", TestAccounts.Password));
        var afterLogin = await browser.PostAsync("/account/login", new FormUrlEncodedContent(form));
        var toCommand = await browser.GetAsync(afterLogin.Headers.Location);
        if (toCommand.StatusCode == HttpStatusCode.OK)
        {
            // The consent page, the first time this person signs in with the command.
            var consent = PortalSession.HiddenFields(await toCommand.Content.ReadAsStringAsync());
            consent.Add(KeyValuePair.Create("decision", "accept"));
            toCommand = await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(consent));
        }
        Assert.True(toCommand.StatusCode == HttpStatusCode.Redirect, $"The authorization answered {(int)toCommand.StatusCode}: {await toCommand.Content.ReadAsStringAsync()}");
        Assert.Equal("127.0.0.1", toCommand.Headers.Location!.Host);
        using var loopback = new HttpClient();
        return await loopback.GetStringAsync(toCommand.Headers.Location);
    }

    private static async Task<Guid> SubmittedJobAsync(StringWriter error)
    {
        for (var i = 0; i < 300; i++)
        {
            if (SubmittedLine().Match(error.ToString()) is { Success: true } match)
            {
                return Guid.Parse(match.Groups[1].Value);
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"dragon run submitted nothing:\n{error}");
    }

    [GeneratedRegex("Job ([0-9a-f-]{36}) submitted")]
    private static partial Regex SubmittedLine();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
