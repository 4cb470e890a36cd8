using Dragon.Contracts.Common;
using System.Net;
using Dragon.Contracts.Access;
using Dragon.Contracts.Nodes;
using Dragon.Platform.Tests.Infrastructure;
using Dragon.Platform.Tests.Portal;
using Dragon.Portal.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Dragon.Portal.BrowserTests;

/// <summary>A data steward decides a request, approves a hospital's node and revokes the agreement.</summary>
public sealed class StewardPortalTests(PortalHost host) : IClassFixture<PortalHost>
{
    [Fact]
    public async Task Steward_ApprovesARequest_TheAgreementExists_ThenApprovesANodeAndRevokesTheAgreement()
    {
        var seeded = await PortalSeed.ConsentAsync(host.Factory);
        var parties = await AccessSeed.StewardAndResearcherAsync(host.Factory, seeded.Cohort);
        var request = await AccessSeed.RequestAsync(parties, "ICU admissions by age group", seeded.Cohort);
        var pending = await host.Factory.Accounts.EnrollNodeAsync(approve: false);
        var page = await host.NewPageAsync();
        var errors = PortalBrowser.CollectErrors(page);

        await page.GotoAsync("/portal/requests");
        await PortalBrowser.SignInAsync(page, parties.Steward.User.Email, TestAccounts.Password);
        await Assertions.Expect(page.GetByText("1 waiting for a decision.")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "steward-01-queue");
        await page.GetByRole(AriaRole.Link, new() { Name = "ICU admissions by age group" }).ClickAsync();
        await Assertions.Expect(page.GetByText("plan intensive-care capacity")).ToBeVisibleAsync();
        await page.GetByLabel("Ask for changes").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send decision" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Say why in a comment")).ToBeVisibleAsync();
        await page.GetByLabel("Approve").CheckAsync();
        await page.GetByLabel("Comment to the researcher").FillAsync("Fits the consent of this cohort.");
        await PortalBrowser.AssertAccessibleAsync(page);
        await Screenshots.TakeAsync(page, "steward-02-request");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send decision" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("You approved the request; the agreement is in force.");
        await Screenshots.TakeAsync(page, "steward-03-approved");

        var agreement = Assert.Single((await (await parties.Researcher.Client.GetAsync("/api/v1/agreements")).ReadAsAsync<Paged<AgreementResponse>>(HttpStatusCode.OK)).Items);
        Assert.Equal((request.Id, "active"), (agreement.RequestId, agreement.Status));

        await page.GetByRole(AriaRole.Link, new() { Name = "Partner nodes" }).ClickAsync();
        var admin = await host.Factory.Accounts.AdminAsync();
        var node = await (await admin.GetAsync($"/api/v1/nodes/{pending.Credentials.NodeId}")).ReadAsAsync<NodeResponse>(HttpStatusCode.OK);
        await PortalBrowser.AssertAccessibleAsync(page);
        await Screenshots.TakeAsync(page, "steward-04-nodes");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Approve {node.Name}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{node.Name} (Radboud UMC) is approved and active.");
        node = await (await admin.GetAsync($"/api/v1/nodes/{pending.Credentials.NodeId}")).ReadAsAsync<NodeResponse>(HttpStatusCode.OK);
        Assert.Equal("Active", node.Status, ignoreCase: true);

        await page.GetByRole(AriaRole.Link, new() { Name = "Agreements" }).ClickAsync();
        await Screenshots.TakeAsync(page, "steward-05-agreements");
        await page.GetByRole(AriaRole.Link, new() { Name = "Revoke this agreement" }).ClickAsync();
        await Screenshots.TakeAsync(page, "steward-06-revoke");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, revoke it" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The agreement is revoked");

        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var revoked = await (await parties.Researcher.Client.GetAsync($"/api/v1/agreements/{agreement.Id}")).ReadAsAsync<AgreementResponse>(HttpStatusCode.OK);
        Assert.Equal("revoked", revoked.Status);
    }
}
