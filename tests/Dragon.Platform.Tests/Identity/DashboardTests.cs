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
