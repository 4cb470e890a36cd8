using System.Net;
using Dragon.Contracts.Consent;
using Dragon.Platform.Tests.Infrastructure;
using Dragon.Platform.Tests.Portal;
using Dragon.Portal.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Dragon.Portal.BrowserTests;

/// <summary>A patient on a phone-sized screen: registers, confirms the e-mailed link, links the hospital's code, reads and withdraws a consent.</summary>
public sealed class PatientPortalTests(PortalHost host) : IClassFixture<PortalHost>
{
    [Fact]
    public async Task Patient_RegistersLinksAndWithdraws_TheApiShowsTheWithdrawnVersion()
    {
        var seeded = await PortalSeed.ConsentAsync(host.Factory);
        var parties = await AccessSeed.StewardAndResearcherAsync(host.Factory, seeded.Cohort);
        await AccessSeed.AgreementAsync(parties, "ICU admissions by age group", seeded.Cohort);
        var code = await PortalSeed.LinkCodeAsync(seeded);
        var email = $"anna-{Guid.NewGuid():N}@dragon.test";
        var page = await host.NewPageAsync(phone: true);
        var errors = PortalBrowser.CollectErrors(page);

        await page.GotoAsync("/portal");
        await Screenshots.TakeAsync(page, "patient-01-welcome");
        await page.GetByRole(AriaRole.Link, new() { Name = "Register as a patient" }).ClickAsync();
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Your name").FillAsync("Anna de Vries");
        await page.GetByLabel("Password").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();
        await Assertions.Expect(page.GetByText("at least 12 characters").Last).ToBeVisibleAsync();
        await PortalBrowser.AssertAccessibleAsync(page);
        await page.GetByLabel("Password").FillAsync(TestAccounts.Password);
        await Screenshots.TakeAsync(page, "patient-02-register");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your e-mail" })).ToBeVisibleAsync();
        await PortalBrowser.AssertAccessibleAsync(page);
        await page.GotoAsync(TestMailbox.ConfirmationLink(host.Factory, email));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your account is ready");
        await PortalBrowser.AssertAccessibleAsync(page);
        await Screenshots.TakeAsync(page, "patient-03-confirmed");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).Last.ClickAsync();
        await PortalBrowser.SignInAsync(page, email, TestAccounts.Password, screenshotPrefix: "patient-03");

        await Assertions.Expect(page).ToHaveURLAsync(new Uri(host.Address, "/portal/consents/link").ToString());
        await page.GetByLabel("Link code").FillAsync("WRONG-CODE");
        await page.GetByRole(AriaRole.Button, new() { Name = "Link" }).ClickAsync();
        await Assertions.Expect(page.GetByText("ask your hospital for a new one")).ToBeVisibleAsync();
        await page.GetByLabel("Link code").FillAsync(code);
        await PortalBrowser.AssertAccessibleAsync(page);
        await Screenshots.TakeAsync(page, "patient-04-link");
        await page.GetByRole(AriaRole.Button, new() { Name = "Link" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Uri(host.Address, "/portal/consents").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = seeded.Cohort.Name })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Your data may be used for health, medical or biomedical research.")).ToBeVisibleAsync();
        await page.GetByText("History (1 version)").ClickAsync();
        await PortalBrowser.AssertAccessibleAsync(page);
        await Screenshots.TakeAsync(page, "patient-05-consents");

        await page.GetByRole(AriaRole.Link, new() { Name = "Withdraw consent" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Withdraw your consent");
        await Screenshots.TakeAsync(page, "patient-06-withdraw-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, withdraw my consent" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your consent is withdrawn (version 2).");
        await page.GetByText("History (2 versions)").ClickAsync();
        await Screenshots.TakeAsync(page, "patient-07-withdrawn");
        await page.GetByRole(AriaRole.Link, new() { Name = "Access log" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = seeded.Cohort.Name })).ToBeVisibleAsync();
        await PortalBrowser.AssertAccessibleAsync(page);
        await Screenshots.TakeAsync(page, "patient-08-access-log");

        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var api = host.Factory.Accounts.Authorized(await host.Factory.Accounts.PasswordTokenAsync(email, TestAccounts.Password));
        var consent = Assert.Single(await (await api.GetAsync("/api/v1/me/consents")).ReadAsAsync<List<ConsentResponse>>(HttpStatusCode.OK));
        Assert.Equal((seeded.Consent.Id, "withdrawn", 2), (consent.Id, consent.Status, consent.Version));
        Assert.Equal(["granted", "withdrawn"], consent.History.Select(v => v.Status));
    }
}
