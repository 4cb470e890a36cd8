using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dragon.Contracts.Common;
using Dragon.Contracts.Identity;
using Dragon.Contracts.Nodes;
using Dragon.Platform.Identity;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Identity;

/// <summary>Each grant of the token endpoint, end to end through HTTP.</summary>
public sealed partial class TokenGrantTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    private TestAccounts Accounts => fixture.Factory.Accounts;

    [Fact]
    public async Task PasswordGrant_ForDragonCli_GivesATokenWithTheUsersRoles()
    {
        var researcher = await Accounts.NewUserAsync(DragonRoles.Researcher);

        var me = await (await researcher.Client.GetAsync("/api/v1/users/me")).ReadAsAsync<UserResponse>(HttpStatusCode.OK);

        Assert.Equal(researcher.User.Id, me.Id);
        Assert.Equal([DragonRoles.Researcher], me.Roles);
    }

    [Fact]
    public async Task PasswordGrant_ForAnUnknownEmail_DoesThePasswordWorkAKnownOneDoes_AndAnswersTheSame()
    {
        var patient = await Accounts.NewUserAsync(DragonRoles.Patient);
        var counter = new CountingHasher();
        using var host = fixture.Factory.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddScoped<Microsoft.AspNetCore.Identity.IPasswordHasher<DragonUser>>(_ => counter)));
        Task<HttpResponseMessage> TokenAsync(string email) =>
            host.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(PasswordForm(email, "not the password at all")));

        var known = await TokenAsync(patient.User.Email);
        var afterKnown = counter.Calls;
        var unknown = await TokenAsync($"nobody-{Guid.NewGuid():N}@dragon.test");

        Assert.Equal(1, afterKnown);
        Assert.Equal(2, counter.Calls);
        Assert.Equal((HttpStatusCode.BadRequest, await known.Content.ReadAsStringAsync()), (unknown.StatusCode, await unknown.Content.ReadAsStringAsync()));
    }

    /// <summary>Identity's hasher, counting how often a password is hashed or checked (each is one PBKDF2 run).</summary>
    private sealed class CountingHasher : Microsoft.AspNetCore.Identity.IPasswordHasher<DragonUser>
    {
        private readonly Microsoft.AspNetCore.Identity.PasswordHasher<DragonUser> _inner = new();
        private int _calls;

        public int Calls => _calls;

        public string HashPassword(DragonUser user, string password)
        {
            Interlocked.Increment(ref _calls);
            return _inner.HashPassword(user, password);
        }

        public Microsoft.AspNetCore.Identity.PasswordVerificationResult VerifyHashedPassword(DragonUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _calls);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task PasswordGrant_WithAWrongPassword_IsRefused()
    {
        var patient = await Accounts.NewUserAsync(DragonRoles.Patient);

        var response = await Accounts.TokenAsync(PasswordForm(patient.User.Email, "not the password at all"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PasswordGrant_AfterFiveFailures_LocksTheAccountEvenForTheRightPassword()
    {
        var patient = await Accounts.NewUserAsync(DragonRoles.Patient);
        for (var i = 0; i < 5; i++)
        {
            await Accounts.TokenAsync(PasswordForm(patient.User.Email, $"wrong password number {i}"));
        }

        var response = await Accounts.TokenAsync(PasswordForm(patient.User.Email, TestAccounts.Password));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RefreshTokenGrant_GivesANewAccessToken()
    {
        var auditor = await Accounts.NewUserAsync(DragonRoles.Auditor);
        var form = PasswordForm(auditor.User.Email, TestAccounts.Password);
        form["scope"] = "offline_access";
        var first = JsonDocument.Parse(await (await Accounts.TokenAsync(form)).Content.ReadAsStringAsync()).RootElement;

        var refreshed = await Accounts.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = FirstPartyClients.Cli,
            ["refresh_token"] = first.GetProperty("refresh_token").GetString()!,
        });

        var me = await (await Accounts.Authorized(await TestAccounts.AccessTokenAsync(refreshed)).GetAsync("/api/v1/users/me"))
            .ReadAsAsync<UserResponse>(HttpStatusCode.OK);
        Assert.Equal(auditor.User.Id, me.Id);
    }

    [Fact]
    public async Task ClientCredentials_ForAnApprovedNode_ReachTheNodeRoutes()
    {
        var node = await Accounts.EnrollNodeAsync();

        var beat = await (await node.Client.PostAsJsonAsync("/api/v1/nodes/me/heartbeat", new HeartbeatRequest("1.0.0"), DragonJson.Options))
            .ReadAsAsync<NodeResponse>(HttpStatusCode.OK);

        Assert.Equal(node.Credentials.NodeId, beat.Id);
        Assert.Equal("1.0.0", beat.AgentVersion);
        Assert.Equal("Active", beat.Status);
    }

    [Fact]
    public async Task ClientCredentials_ForAPendingNode_AreRefused()
    {
        var node = await Accounts.EnrollNodeAsync(approve: false);

        var response = await Accounts.ClientCredentialsAsync(node.Credentials);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("invalid_client", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ClientCredentials_WithAWrongSecret_AreRefused()
    {
        var node = await Accounts.EnrollNodeAsync();

        var response = await Accounts.ClientCredentialsAsync(node.Credentials with { ClientSecret = "wrong-secret" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>The portal, and the API explorer's Authorize button (its redirect on the portal's host).</summary>
    [Theory]
    [InlineData(FirstPartyClients.Portal, TestAccounts.PortalRedirectUri, "Dragon portal")]
    [InlineData(FirstPartyClients.ApiExplorer, "http://localhost" + FirstPartyClients.ApiExplorerRedirectPath, "Dragon API explorer")]
    public async Task AuthorizationCodeWithPkce_ThroughTheLoginPageAndConsent_GivesAWorkingToken(string clientId, string redirectUri, string displayName)
    {
        var patient = await Accounts.NewUserAsync(DragonRoles.Patient);
        var browser = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var authorize = $"/connect/authorize?client_id={clientId}&response_type=code&scope=openid%20roles"
            + $"&redirect_uri={Uri.EscapeDataString(redirectUri)}&code_challenge={challenge}&code_challenge_method=S256&state=xyz";

        var toLogin = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        var loginUrl = toLogin.Headers.Location!.ToString();
        Assert.StartsWith("http://localhost/account/login", loginUrl, StringComparison.Ordinal);

        var loginPage = await browser.GetStringAsync(loginUrl);
        var afterLogin = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HiddenValue(loginPage, "__RequestVerificationToken"),
            ["returnUrl"] = HiddenValue(loginPage, "returnUrl"),
            ["email"] = patient.User.Email,
            ["password"] = TestAccounts.Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, afterLogin.StatusCode);

        var consentPage = await browser.GetStringAsync(afterLogin.Headers.Location);
        Assert.Contains($"Allow {displayName}?", consentPage, StringComparison.Ordinal);
        var form = HiddenFields(consentPage);
        form["decision"] = "accept";
        var toClient = await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, toClient.StatusCode);
        var callback = toClient.Headers.Location!;
        Assert.StartsWith(redirectUri, callback.ToString(), StringComparison.Ordinal);
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query)["code"].ToString();

        var token = await Accounts.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        });
        var me = await (await Accounts.Authorized(await TestAccounts.AccessTokenAsync(token)).GetAsync("/api/v1/users/me"))
            .ReadAsAsync<UserResponse>(HttpStatusCode.OK);
        Assert.Equal(patient.User.Id, me.Id);
    }

    [Fact]
    public async Task ApiExplorer_OffersItsClientWithPkce_AndItsClientRedirectsNowhereElse()
    {
        var browser = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var challenge = Convert.ToBase64String(SHA256.HashData(RandomNumberGenerator.GetBytes(32))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var page = await browser.GetStringAsync("/swagger/index.js");
        var elsewhere = await browser.GetAsync($"/connect/authorize?client_id={FirstPartyClients.ApiExplorer}&response_type=code&scope=openid"
            + $"&redirect_uri={Uri.EscapeDataString("https://attacker.example/swagger/oauth2-redirect.html")}&code_challenge={challenge}&code_challenge_method=S256");

        Assert.Contains($"\"clientId\":\"{FirstPartyClients.ApiExplorer}\"", page, StringComparison.Ordinal);
        Assert.Contains("\"usePkceWithAuthorizationCodeGrant\":true", page, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.Redirect, elsewhere.StatusCode);
    }

    [Fact]
    public async Task AuthorizationCode_WithoutPkce_IsRefused()
    {
        var browser = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await browser.GetAsync($"/connect/authorize?client_id={FirstPartyClients.Portal}&response_type=code&scope=openid"
            + $"&redirect_uri={Uri.EscapeDataString(TestAccounts.PortalRedirectUri)}");

        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task PasswordGrant_WhenSwitchedOff_IsUnsupported()
    {
        using var factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, settings: new Dictionary<string, string> { ["Identity:AllowPasswordGrant"] = "false" });
        try
        {
            var response = await factory.Accounts.TokenAsync(PasswordForm(TestAccounts.AdminEmail, TestAccounts.AdminPassword));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("unsupported_grant_type", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }

    private static Dictionary<string, string> PasswordForm(string email, string password) => new()
    {
        ["grant_type"] = "password",
        ["client_id"] = FirstPartyClients.Cli,
        ["username"] = email,
        ["password"] = password,
    };

    private static string HiddenValue(string html, string name) =>
        HiddenFields(html).TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"No hidden field {name}.");

    private static Dictionary<string, string> HiddenFields(string html) =>
        HiddenField().Matches(html).ToDictionary(m => WebDecode(m.Groups[1].Value), m => WebDecode(m.Groups[2].Value));

    private static string WebDecode(string value) => WebUtility.HtmlDecode(value);

    [GeneratedRegex("""<input type="hidden" name="([^"]+)" value="([^"]*)">""")]
    private static partial Regex HiddenField();
}
