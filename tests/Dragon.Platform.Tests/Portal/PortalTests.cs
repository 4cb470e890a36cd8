using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Consent;
using Dragon.Platform.Api.Features.Portal;
using Dragon.Platform.Identity;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Identity;

namespace Dragon.Platform.Tests.Portal;

/// <summary>
/// The portal through HTTP on the real host: sign-in through the platform's own OpenID Connect server, the
/// security headers, anti-forgery, role checks, and objects of other people answering 404.
/// </summary>
public sealed class PortalTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    private DragonApiFactory Factory => fixture.Factory;

    [Theory]
    [InlineData("/portal/consents")]
    [InlineData("/portal/requests")]
    [InlineData("/portal/jobs")]
    public async Task AnonymousVisitor_IsSentToTheAuthorizationEndpointWithPkce(string path)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("/connect/authorize", location.AbsolutePath);
        Assert.Contains("client_id=dragon-portal", location.Query, StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", location.Query, StringComparison.Ordinal);
        Assert.Contains("response_type=code", location.Query, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(TestAccounts.PortalRedirectUri), location.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/portal")]
    [InlineData("/portal/register")]
    public async Task PublicPages_CarryAStrictContentSecurityPolicy(string path)
    {
        var response = await Factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(PortalSecurityHeaders.ContentSecurityPolicy, csp);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("name=\"viewport\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithoutAntiforgeryToken_IsRefusedAndCreatesNoAccount()
    {
        var email = $"nobody-{Guid.NewGuid():N}@dragon.test";
        var response = await Factory.CreateClient().PostAsync("/portal/register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["DisplayName"] = "No Token", ["Password"] = TestAccounts.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("security token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", string.Join(" ", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        var token = await Factory.Accounts.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "dragon-cli", ["username"] = email, ["password"] = TestAccounts.Password,
        });
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
    }

    [Fact]
    public async Task Register_ThroughThePortal_AppliesTheDomainsPasswordRules()
    {
        var session = new PortalSession(Factory);

        var response = await session.PostFormAsync("/portal/register", new()
        {
            ["Email"] = $"short-{Guid.NewGuid():N}@dragon.test", ["DisplayName"] = "Short Password", ["Password"] = "short",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/portal/register", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("at least 12 characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patient_LinksAndWithdrawsInThePortal_TheApiShowsTheWithdrawnVersion()
    {
        var seeded = await PortalSeed.ConsentAsync(Factory);
        var email = await PortalSeed.RegisterPatientAsync(Factory);
        var session = await PortalSession.SignInAsync(Factory, email, TestAccounts.Password);

        var linked = await session.PostFormAsync("/portal/consents/link", new() { ["Code"] = await PortalSeed.LinkCodeAsync(seeded) });
        var withdrawn = await session.PostFormAsync($"/portal/consents/{seeded.Consent.Id}/withdraw");

        Assert.Equal("/portal/consents", linked.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains(seeded.Cohort.Name, await linked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("/portal/consents", withdrawn.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Your consent is withdrawn (version 2).", await withdrawn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var api = Factory.Accounts.Authorized(await Factory.Accounts.PasswordTokenAsync(email, TestAccounts.Password));
        var mine = await (await api.GetAsync("/api/v1/me/consents")).ReadAsAsync<List<ConsentResponse>>(HttpStatusCode.OK);
        var consent = Assert.Single(mine);
        Assert.Equal(("withdrawn", 2, "User"), (consent.Status, consent.Version, consent.History[^1].ActorType));
    }

    [Fact]
    public async Task Patient_ErasesTheirAccountInThePortal_WithTheirPassword_AndIsSignedOut()
    {
        var seeded = await PortalSeed.ConsentAsync(Factory);
        var email = await PortalSeed.RegisterPatientAsync(Factory);
        var session = await PortalSession.SignInAsync(Factory, email, TestAccounts.Password);
        await session.PostFormAsync("/portal/consents/link", new() { ["Code"] = await PortalSeed.LinkCodeAsync(seeded) });

        var wrong = await session.PostFormAsync("/portal/account/erase", new() { ["Password"] = "not my password" });
        Assert.Contains("The password is not correct.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var erased = await session.PostFormAsync("/portal/account/erase", new() { ["Password"] = TestAccounts.Password });

        Assert.Equal("/portal", erased.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Your account is erased.", await erased.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await session.Client.GetAsync("/portal/consents");
        Assert.NotEqual("/portal/consents", after.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.BadRequest, (await Factory.Accounts.TokenAsync(TestAccounts.PasswordGrant(email, TestAccounts.Password))).StatusCode);
    }

    [Fact]
    public async Task Patient_WithdrawWithoutAntiforgeryToken_IsRefusedAndChangesNothing()
    {
        var seeded = await PortalSeed.ConsentAsync(Factory);
        var email = await PortalSeed.RegisterPatientAsync(Factory);
        var session = await PortalSession.SignInAsync(Factory, email, TestAccounts.Password);
        await session.PostFormAsync("/portal/consents/link", new() { ["Code"] = await PortalSeed.LinkCodeAsync(seeded) });

        var response = await session.Client.PostAsync($"/portal/consents/{seeded.Consent.Id}/withdraw", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var api = Factory.Accounts.Authorized(await Factory.Accounts.PasswordTokenAsync(email, TestAccounts.Password));
        var consent = Assert.Single(await (await api.GetAsync("/api/v1/me/consents")).ReadAsAsync<List<ConsentResponse>>(HttpStatusCode.OK));
        Assert.Equal(("granted", 1), (consent.Status, consent.Version));
    }

    [Fact]
    public async Task Patient_AnotherPatientsConsent_IsNotFound()
    {
        var seeded = await PortalSeed.ConsentAsync(Factory);
        var owner = await PortalSeed.RegisterPatientAsync(Factory);
        var ownerSession = await PortalSession.SignInAsync(Factory, owner, TestAccounts.Password);
        await ownerSession.PostFormAsync("/portal/consents/link", new() { ["Code"] = await PortalSeed.LinkCodeAsync(seeded) });
        var other = await PortalSession.SignInAsync(Factory, await PortalSeed.RegisterPatientAsync(Factory), TestAccounts.Password);
        var ownPage = await ownerSession.Client.GetAsync($"/portal/consents/{seeded.Consent.Id}/withdraw");

        var page = await other.Client.GetAsync($"/portal/consents/{seeded.Consent.Id}/withdraw");
        var post = await other.SubmitAsync(ownPage, $"/portal/consents/{seeded.Consent.Id}/withdraw", []);
        var list = await other.Client.GetStringAsync("/portal/consents");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("not yours to see", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.DoesNotContain(seeded.Cohort.Name, list, StringComparison.Ordinal);
        var otherForm = await other.Client.GetAsync("/portal/consents/link");
        var withOwnToken = await other.SubmitAsync(otherForm, $"/portal/consents/{seeded.Consent.Id}/withdraw", []);
        Assert.Equal(HttpStatusCode.NotFound, withOwnToken.StatusCode);
    }

    [Theory]
    [InlineData(DragonRoles.Patient, "/portal/requests")]
    [InlineData(DragonRoles.Patient, "/portal/nodes")]
    [InlineData(DragonRoles.Researcher, "/portal/consents")]
    [InlineData(DragonRoles.Researcher, "/portal/nodes")]
    [InlineData(DragonRoles.DataSteward, "/portal/consents")]
    public async Task SignedInUser_OnAPageTheirRoleMayNotUse_GetsForbidden(string role, string path)
    {
        var user = await Factory.Accounts.NewUserAsync(role);
        var session = await PortalSession.SignInAsync(Factory, user.User.Email, TestAccounts.Password);

        var response = await session.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("does not have the role", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("role removed")]
    [InlineData("locked out")]
    [InlineData("password changed")]
    public async Task SignedInSteward_WhoseAccountChanged_LosesTheSessionAtTheNextCheck(string change)
    {
        var steward = await Factory.Accounts.NewUserAsync(DragonRoles.DataSteward);
        var session = await PortalSession.SignInAsync(Factory, steward.User.Email, TestAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/portal/nodes")).StatusCode);
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<DragonUser>>();
            var user = (await users.FindByIdAsync(steward.User.Id.ToString()))!;
            var changed = change switch
            {
                "role removed" => await users.RemoveFromRoleAsync(user, DragonRoles.DataSteward),
                "locked out" => await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddHours(1)),
                _ => await users.ChangePasswordAsync(user, TestAccounts.Password, TestAccounts.Password + "-new"),
            };
            Assert.True(changed.Succeeded);
        }

        var response = await GetWithoutFollowingAsync(session, "/portal/nodes");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var authorize = response.Headers.Location!;
        Assert.Equal("/connect/authorize", authorize.AbsolutePath);
        if (change == "role removed")
        {
            return; // signing in again without asking is fine here: the new session carries the roles the account has now
        }
        // After a new password or a lock-out, the platform's own sign-in cookie must not sign the person back in.
        var again = await GetWithoutFollowingAsync(session, authorize.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var next = again.Headers.Location!.ToString();
        Assert.DoesNotContain("code=", next, StringComparison.Ordinal);
        Assert.True(next.Contains("/account/login", StringComparison.Ordinal) || next.Contains("error=access_denied", StringComparison.Ordinal), next);
    }

    [Fact]
    public async Task SignedInSteward_WhoseAccountDidNotChange_KeepsTheSessionAcrossChecks()
    {
        var steward = await Factory.Accounts.NewUserAsync(DragonRoles.DataSteward);
        var session = await PortalSession.SignInAsync(Factory, steward.User.Email, TestAccounts.Password);

        foreach (var _ in Enumerable.Range(0, 3))
        {
            var response = await GetWithoutFollowingAsync(session, "/portal/nodes");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private async Task<HttpResponseMessage> GetWithoutFollowingAsync(PortalSession session, string path)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", session.CookieHeader(path));
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Researcher_WithMoreRequestsThanAPage_PagesThroughThemNewestFirst()
    {
        var seeded = await PortalSeed.ConsentAsync(Factory);
        var researcher = await Factory.Accounts.NewUserAsync(DragonRoles.Researcher);
        for (var i = 0; i < PortalPager.ListPageSize + 2; i++)
        {
            (await researcher.Client.PostAsJsonAsync("/api/v1/access-requests", new Dragon.Contracts.Access.AccessRequestBody(
                $"Pager request {i:D2}", PortalSeed.Hmb, [seeded.Cohort.Id], ["age"], ["count"], "Counting admissions for capacity planning.", 30), Dragon.Contracts.Common.DragonJson.Options))
                .EnsureSuccessStatusCode();
        }
        var session = await PortalSession.SignInAsync(Factory, researcher.User.Email, TestAccounts.Password);

        var first = await session.Client.GetStringAsync("/portal/requests");
        var second = await session.Client.GetStringAsync("/portal/requests?page=2");

        Assert.Contains("Showing 1 to 50 of 52.", first, StringComparison.Ordinal);
        Assert.Contains("href=\"?page=2\"", first, StringComparison.Ordinal);
        Assert.Contains("Pager request 51", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Pager request 00", first, StringComparison.Ordinal);
        Assert.Contains("Showing 51 to 52 of 52.", second, StringComparison.Ordinal);
        Assert.Contains("href=\"?page=1\"", second, StringComparison.Ordinal);
        Assert.Contains("Pager request 00", second, StringComparison.Ordinal);
        Assert.DoesNotContain("Pager request 51", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortalSession_DoesNotAuthenticateApiCalls()
    {
        var user = await Factory.Accounts.NewUserAsync(DragonRoles.Patient);
        var session = await PortalSession.SignInAsync(Factory, user.User.Email, TestAccounts.Password);

        var response = await session.Client.GetAsync("/api/v1/users/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsThePortalSessionAndThePlatformSignIn()
    {
        var user = await Factory.Accounts.NewUserAsync(DragonRoles.Patient);
        var session = await PortalSession.SignInAsync(Factory, user.User.Email, TestAccounts.Password);

        var signedOut = await session.PostFormAsync("/portal/signout");
        var after = await session.Client.GetAsync("/portal/consents");

        Assert.Equal("/portal", signedOut.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Register as a patient", await signedOut.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("/account/login", after.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task UnknownPortalPage_AnswersTheHtmlNotFoundPage()
    {
        var response = await Factory.CreateClient().GetAsync("/portal/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
