using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Access;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Platform.Identity;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Portal;

/// <summary>Stewards and researchers in the portal: decisions go through the domain's workflow, and what is not theirs answers 404.</summary>
public sealed class PortalAccessTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    private DragonApiFactory Factory => fixture.Factory;

    [Fact]
    public async Task Steward_ApprovesInThePortal_TheApiShowsTheAgreement()
    {
        var (steward, researcher, request) = await RequestAsync();
        var session = await PortalSession.SignInAsync(Factory, steward.User.Email, TestAccounts.Password);

        var queue = await session.Client.GetStringAsync("/portal/requests");
        var decided = await session.PostFormAsync($"/portal/requests/{request.Id}", new() { ["Decision"] = "approve", ["Comment"] = "Fits the consent." });

        Assert.Contains(request.Title, queue, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Contains("the agreement is in force", await decided.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var agreement = Assert.Single((await (await researcher.Client.GetAsync("/api/v1/agreements")).ReadAsAsync<Paged<AgreementResponse>>(HttpStatusCode.OK)).Items);
        Assert.Equal((request.Id, "active", "dp"), (agreement.RequestId, agreement.Status, agreement.ReleaseMode));
    }

    [Fact]
    public async Task Steward_AllowingExactResultsInThePortal_MakesAnExactAgreement()
    {
        var (steward, researcher, request) = await RequestAsync();
        var session = await PortalSession.SignInAsync(Factory, steward.User.Email, TestAccounts.Password);

        await session.PostFormAsync($"/portal/requests/{request.Id}", new() { ["Decision"] = "approve", ["Comment"] = "ok", ["ExactRelease"] = "true" });

        var agreement = Assert.Single((await (await researcher.Client.GetAsync("/api/v1/agreements")).ReadAsAsync<Paged<AgreementResponse>>(HttpStatusCode.OK)).Items);
        Assert.Equal("exact", agreement.ReleaseMode);
        var page = await (await PortalSession.SignInAsync(Factory, researcher.User.Email, TestAccounts.Password)).Client.GetStringAsync("/portal/agreements");
        Assert.Contains("exact, under the minimum cell count", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Steward_RejectingWithoutAComment_IsToldWhyAndNothingChanges()
    {
        var (steward, researcher, request) = await RequestAsync();
        var session = await PortalSession.SignInAsync(Factory, steward.User.Email, TestAccounts.Password);

        var decided = await session.PostFormAsync($"/portal/requests/{request.Id}", new() { ["Decision"] = "reject", ["Comment"] = "" });

        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Contains("Say why in a comment", await decided.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = await (await researcher.Client.GetAsync($"/api/v1/access-requests/{request.Id}")).ReadAsAsync<AccessRequestResponse>(HttpStatusCode.OK);
        Assert.Equal(("Submitted", 0), (stored.Status, stored.Decisions.Count));
    }

    [Fact]
    public async Task StewardOfOtherCohorts_RequestAndAgreement_AreNotFound()
    {
        var (steward, _, request) = await RequestAsync();
        var stranger = await Factory.Accounts.NewUserAsync(DragonRoles.DataSteward);
        var own = await PortalSession.SignInAsync(Factory, steward.User.Email, TestAccounts.Password);
        await own.PostFormAsync($"/portal/requests/{request.Id}", new() { ["Decision"] = "approve", ["Comment"] = "ok" });
        var agreementId = (await (await steward.Client.GetAsync($"/api/v1/access-requests/{request.Id}")).ReadAsAsync<AccessRequestResponse>(HttpStatusCode.OK)).AgreementId;
        var session = await PortalSession.SignInAsync(Factory, stranger.User.Email, TestAccounts.Password);

        var page = await session.Client.GetAsync($"/portal/requests/{request.Id}");
        var revoke = await session.Client.GetAsync($"/portal/agreements/{agreementId}/revoke");
        var queue = await session.Client.GetStringAsync("/portal/requests");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.DoesNotContain(request.Title, queue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Researcher_AnotherResearchersRequest_IsNotFound()
    {
        var (_, _, request) = await RequestAsync();
        var scenario = await Jobs.JobScenario.CreateAsync(Factory);
        var theirJob = await scenario.SubmitAsync(new Dragon.Contracts.Jobs.AggregationSpec("count"));
        var owner = await PortalSession.SignInAsync(Factory, scenario.Researcher.User.Email, TestAccounts.Password);
        var other = await Factory.Accounts.NewUserAsync(DragonRoles.Researcher);
        var session = await PortalSession.SignInAsync(Factory, other.User.Email, TestAccounts.Password);

        var page = await session.Client.GetAsync($"/portal/requests/{request.Id}");
        var job = await session.Client.GetAsync($"/portal/jobs/{theirJob.Id}");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, job.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/portal/jobs/{theirJob.Id}")).StatusCode);
    }

    private async Task<(TestAccounts.SignedIn Steward, TestAccounts.SignedIn Researcher, AccessRequestResponse Request)> RequestAsync()
    {
        var seeded = await PortalSeed.ConsentAsync(Factory);
        var steward = await Factory.Accounts.NewUserAsync(DragonRoles.DataSteward);
        var admin = await Factory.Accounts.AdminAsync();
        (await admin.PostAsJsonAsync($"/api/v1/cohorts/{seeded.Cohort.Id}/stewards", new AddStewardRequest(steward.User.Id), DragonJson.Options)).EnsureSuccessStatusCode();
        var researcher = await Factory.Accounts.NewUserAsync(DragonRoles.Researcher);
        var request = await (await researcher.Client.PostAsJsonAsync("/api/v1/access-requests", new AccessRequestBody(
                $"Age at admission {Guid.NewGuid():N}", PortalSeed.Hmb, [seeded.Cohort.Id], ["age"], ["count"], "We describe the age of admitted COVID-19 patients.", 30), DragonJson.Options))
            .ReadAsAsync<AccessRequestResponse>(HttpStatusCode.Created);
        return (steward, researcher, request);
    }
}
