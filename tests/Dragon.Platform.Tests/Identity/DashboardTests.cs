using System.Net;
using System.Text.RegularExpressions;
using Dragon.Platform.Identity;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dragon.Platform.Tests.Identity;

/// <summary>The Hangfire dashboard admits an Admin's browser session and nobody else.</summary>
public sealed partial class DashboardTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [Fact]
    public async Task Dashboard_WithoutASession_IsRefused()
    {
        var response = await fixture.Factory.CreateClient().GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_ForAnAdminSignedInOnTheLoginPage_Opens()
    {
        var browser = await SignedInBrowserAsync(TestAccounts.AdminEmail, TestAccounts.AdminPassword);

        var response = await browser.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Hangfire Dashboard", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ForAResearchersSession_IsRefused()
    {
        var researcher = await fixture.Factory.Accounts.NewUserAsync(DragonRoles.Researcher);
        var browser = await SignedInBrowserAsync(researcher.User.Email, TestAccounts.Password);

        var response = await browser.GetAsync("/hangfire");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task LoginPage_WithAWrongPassword_SaysSoAndSetsNoSession()
    {
        var browser = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await browser.GetStringAsync("/account/login");

        var response = await browser.PostAsync("/account/login", Form(page, TestAccounts.AdminEmail, "wrong password entirely"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("wrong", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task LoginPage_WithoutTheAntiforgeryToken_IsRefused()
    {
        var browser = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = TestAccounts.AdminEmail,
            ["password"] = TestAccounts.AdminPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%%%")]
    public async Task LoginPage_WithABadAntiforgeryToken_IsA400_NeverA500(string token)
    {
        var browser = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var other = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await browser.GetStringAsync("/account/login");
        // A well-formed token of another browser's session, and malformed ones.
        var foreign = WebUtility.HtmlDecode(Antiforgery().Match(await other.GetStringAsync("/account/login")).Groups[1].Value);

        foreach (var value in new[] { token, foreign })
        {
            var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = TestAccounts.AdminEmail,
                ["password"] = TestAccounts.AdminPassword,
                ["__RequestVerificationToken"] = value,
            }));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        // The page's own token with its anti-forgery cookie replaced by the bad value.
        var bare = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var page = await bare.GetAsync("/account/login");
        var cookie = page.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).Split(';')[0].Split('=')[0];
        foreach (var path in new[] { "/account/login", "/portal/register" })
        {
            using var tampered = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["email"] = TestAccounts.AdminEmail, ["password"] = TestAccounts.AdminPassword,
                    ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Antiforgery().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value),
                }),
            };
            tampered.Headers.Add("Cookie", $"{cookie}={Uri.EscapeDataString(token)}");

            Assert.Equal(HttpStatusCode.BadRequest, (await bare.SendAsync(tampered)).StatusCode);
        }
    }

    private async Task<HttpClient> SignedInBrowserAsync(string email, string password)
    {
        var browser = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await browser.GetStringAsync("/account/login");
        var response = await browser.PostAsync("/account/login", Form(page, email, password));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    private static FormUrlEncodedContent Form(string loginPage, string email, string password) => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Antiforgery().Match(loginPage).Groups[1].Value),
        ["returnUrl"] = "/",
        ["email"] = email,
        ["password"] = password,
    });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
