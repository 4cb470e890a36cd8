using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Contracts.Consent;
using Dragon.Platform.Identity;
using Dragon.Platform.Tests.Catalogue;
using Dragon.Platform.Tests.Infrastructure;
using Hl7.Fhir.Serialization;
using FhirConsent = Hl7.Fhir.Model.Consent;

namespace Dragon.Platform.Tests.Consent;

/// <summary>Consent through HTTP with real tokens: nodes register, patients link, withdraw and re-grant, the feed and FHIR.</summary>
public abstract class ConsentApiTests(ApiFixture fixture)
{
    private const string Hmb = "DUO:0000006";
    private const string Gru = "DUO:0000042";
    private TestAccounts Accounts => fixture.Factory.Accounts;

    [Fact]
    public async Task PatientLinksWithdrawsAndRegrants_TheNodeFeedShowsEachVersionOnceInOrder()
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var subject = $"S-{Guid.NewGuid():N}";
        var registered = await RegisterAsync(node, subject, cohort.Id, "granted", Hmb);
        var patient = await Accounts.NewUserAsync(DragonRoles.Patient);

        var linked = await LinkAsync(node, patient, subject, cohort.Id);
        var withdrawn = await (await patient.Client.PostAsync($"/api/v1/me/consents/{registered.Id}/withdraw", null)).ReadAsAsync<ConsentResponse>(HttpStatusCode.OK);
        var regranted = await (await patient.Client.PostAsJsonAsync($"/api/v1/me/consents/{registered.Id}/grant", new GrantRequest([Gru]), DragonJson.Options))
            .ReadAsAsync<ConsentResponse>(HttpStatusCode.OK);
        var mine = await (await patient.Client.GetAsync("/api/v1/me/consents")).ReadAsAsync<List<ConsentResponse>>(HttpStatusCode.OK);

        Assert.Equal(registered.Id, Assert.Single(linked).Id);
        Assert.Equal(("withdrawn", 2), (withdrawn.Status, withdrawn.Version));
        Assert.Equal(("granted", 3, Gru), (regranted.Status, regranted.Version, Assert.Single(regranted.Purposes)));
        var history = Assert.Single(mine).History;
        Assert.Equal(["granted", "withdrawn", "granted"], history.Select(v => v.Status));
        Assert.Equal(["Node", "User", "User"], history.Select(v => v.ActorType));

        var feed = await FeedAsync(node, after: 0, limit: 1, untilVersionsOf: registered.Id, count: 3);
        Assert.Equal([1, 2, 3], feed.Select(c => c.Version));
        Assert.Equal(feed.Select(c => c.Cursor).Order(), feed.Select(c => c.Cursor));
        Assert.Equal(feed.Count, feed.Select(c => c.Cursor).Distinct().Count());
    }

    [Fact]
    public async Task Feed_PagedWhileConsentsChange_MissesNothingAndRepeatsNothing()
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var seen = new List<ConsentChange>();
        long cursor = 0;
        for (var i = 0; i < 6; i++)
        {
            await RegisterAsync(node, $"F-{i}-{Guid.NewGuid():N}", cohort.Id, "granted", Hmb);
            var page = await (await node.Client.GetAsync($"/api/v1/nodes/me/consent-changes?after={cursor}&limit=2")).ReadAsAsync<ConsentFeed>(HttpStatusCode.OK);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (true)
        {
            var page = await (await node.Client.GetAsync($"/api/v1/nodes/me/consent-changes?after={cursor}&limit=2")).ReadAsAsync<ConsentFeed>(HttpStatusCode.OK);
            if (page.Items.Count == 0)
            {
                break;
            }
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }

        Assert.Equal(6, seen.Count);
        Assert.Equal(6, seen.Select(c => c.ConsentId).Distinct().Count());
    }

    [Fact]
    public async Task Feed_ShowsOnlyTheNodesOwnSubjects()
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var (other, _) = await NodeWithCohortAsync();
        var consent = await RegisterAsync(node, $"O-{Guid.NewGuid():N}", cohort.Id, "granted", Hmb);

        var page = await (await other.Client.GetAsync("/api/v1/nodes/me/consent-changes?after=0")).ReadAsAsync<ConsentFeed>(HttpStatusCode.OK);

        Assert.DoesNotContain(page.Items, c => c.ConsentId == consent.Id);
    }

    [Theory]
    [InlineData("granted")]
    [InlineData("withdrawn")]
    public async Task FhirExport_IsAValidR4Consent_ByFirelysValidator(string status)
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var subject = $"H-{Guid.NewGuid():N}";
        await RegisterAsync(node, subject, cohort.Id, "granted", Hmb);
        var consent = await RegisterAsync(node, subject, cohort.Id, status, Hmb);
        var auditor = (await Accounts.AsAsync(DragonRoles.Auditor)).Client;

        foreach (var client in new[] { node.Client, auditor })
        {
            var response = await client.GetAsync($"/api/v1/consents/{consent.Id}/fhir");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
            var resource = new FhirJsonDeserializer().Deserialize<FhirConsent>(await response.Content.ReadAsStringAsync());

            Assert.Equal(consent.Id.ToString(), resource.Id);
            Assert.Equal(status == "granted" ? FhirConsent.ConsentState.Active : FhirConsent.ConsentState.Inactive, resource.Status);
            Assert.Equal("research", resource.Scope.Coding[0].Code);
            Assert.Equal(subject, resource.Patient!.Identifier!.Value);
            Assert.Equal(status == "granted" ? FhirConsent.ConsentProvisionType.Permit : FhirConsent.ConsentProvisionType.Deny, resource.Provision!.Type);
            Assert.Equal(Hmb, Assert.Single(resource.Provision.Purpose).Code);
            Assert.NotNull(resource.DateTime);
            var errors = FhirValidation.Errors(resource);
            Assert.True(errors.Count == 0, "Not a valid R4 Consent: " + string.Join("; ", errors));
        }
    }

    [Fact]
    public async Task FhirExport_ForAnotherNodeOrAnUnlinkedPatient_IsNotFound()
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var (other, _) = await NodeWithCohortAsync();
        var consent = await RegisterAsync(node, $"X-{Guid.NewGuid():N}", cohort.Id, "granted", Hmb);
        var stranger = await Accounts.NewUserAsync(DragonRoles.Patient);

        await (await other.Client.GetAsync($"/api/v1/consents/{consent.Id}/fhir")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.GetAsync($"/api/v1/consents/{consent.Id}/fhir")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task LinkCodeGuessing_IsStoppedAfterTenAttemptsAnHour_EvenForTheRightCode_AndOtherPatientsAreNotHeldUp()
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var subject = $"G-{Guid.NewGuid():N}";
        await RegisterAsync(node, subject, cohort.Id, "granted", Hmb);
        var code = await (await node.Client.PostAsJsonAsync("/api/v1/consents/link-codes", new LinkCodeRequest(subject, cohort.Id), DragonJson.Options))
            .ReadAsAsync<LinkCodeResponse>(HttpStatusCode.Created);
        var guesser = await Accounts.NewUserAsync(DragonRoles.Patient);
        var other = await Accounts.NewUserAsync(DragonRoles.Patient);

        for (var attempt = 0; attempt < 10; attempt++)
        {
            await (await guesser.Client.PostAsJsonAsync("/api/v1/me/links", new LinkRequest($"WRONG{attempt:D5}"), DragonJson.Options)).AssertProblemAsync(HttpStatusCode.BadRequest);
        }
        var limited = await guesser.Client.PostAsJsonAsync("/api/v1/me/links", new LinkRequest(code.Code), DragonJson.Options);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Empty(await (await guesser.Client.GetAsync("/api/v1/me/consents")).ReadAsAsync<List<ConsentResponse>>(HttpStatusCode.OK));
        Assert.Single(await (await other.Client.PostAsJsonAsync("/api/v1/me/links", new LinkRequest(code.Code), DragonJson.Options))
            .ReadAsAsync<List<ConsentResponse>>(HttpStatusCode.OK));
    }

    [Fact]
    public async Task IllegalPatientChanges_AreRefusedAndChangeNothing()
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var subject = $"I-{Guid.NewGuid():N}";
        var consent = await RegisterAsync(node, subject, cohort.Id, "withdrawn", Hmb);
        var patient = await Accounts.NewUserAsync(DragonRoles.Patient);
        var code = await (await node.Client.PostAsJsonAsync("/api/v1/consents/link-codes", new LinkCodeRequest(subject, cohort.Id), DragonJson.Options))
            .ReadAsAsync<LinkCodeResponse>(HttpStatusCode.Created);
        (await patient.Client.PostAsJsonAsync("/api/v1/me/links", new LinkRequest(code.Code), DragonJson.Options)).EnsureSuccessStatusCode();
        var stranger = await Accounts.NewUserAsync(DragonRoles.Patient);

        var twice = await (await patient.Client.PostAsync($"/api/v1/me/consents/{consent.Id}/withdraw", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await stranger.Client.PostAsync($"/api/v1/me/consents/{consent.Id}/withdraw", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.PostAsJsonAsync("/api/v1/me/links", new LinkRequest(code.Code), DragonJson.Options)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await patient.Client.PostAsJsonAsync($"/api/v1/me/consents/{consent.Id}/grant", new GrantRequest(["DUO:0000021"]), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("consent.already_withdrawn", twice.GetProperty("code").GetString());
        var mine = await (await patient.Client.GetAsync("/api/v1/me/consents")).ReadAsAsync<List<ConsentResponse>>(HttpStatusCode.OK);
        Assert.Equal(1, Assert.Single(mine).Version);
    }

    [Fact]
    public async Task Register_ForACohortOfAnotherNode_IsNotFound_AndBadInputIsRefused()
    {
        var (_, cohort) = await NodeWithCohortAsync();
        var (other, _) = await NodeWithCohortAsync();

        await (await other.Client.PostAsJsonAsync("/api/v1/consents", new ConsentRequest("S1", cohort.Id, [Hmb], "granted"), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        var problem = await (await other.Client.PostAsJsonAsync("/api/v1/consents", new ConsentRequest("has space", null, ["XYZ"], "maybe"), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("subjectRef"));
        Assert.NotEmpty(problem.FieldErrors("cohortId"));
        Assert.NotEmpty(problem.FieldErrors("status"));
        Assert.NotEmpty(problem.FieldErrors("purposes"));
    }

    [Fact]
    public async Task RegisteringTheSameConsentTwice_AddsNoVersion()
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var subject = $"D-{Guid.NewGuid():N}";

        await RegisterAsync(node, subject, cohort.Id, "granted", Hmb);
        var again = await RegisterAsync(node, subject, cohort.Id, "granted", Hmb);

        Assert.Equal(1, again.Version);
    }

    [Fact]
    public async Task NodeRegrantingAfterThePatientWithdrewInThePortal_IsRefused_AndThePatientCanStillRegrant()
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var subject = $"W-{Guid.NewGuid():N}";
        var consent = await RegisterAsync(node, subject, cohort.Id, "granted", Hmb);
        var patient = await Accounts.NewUserAsync(DragonRoles.Patient);
        await LinkAsync(node, patient, subject, cohort.Id);
        (await patient.Client.PostAsync($"/api/v1/me/consents/{consent.Id}/withdraw", null)).EnsureSuccessStatusCode();

        var single = await (await node.Client.PostAsJsonAsync("/api/v1/consents", new ConsentRequest(subject, cohort.Id, [Hmb], "granted"), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        var batch = await (await node.Client.PostAsJsonAsync("/api/v1/consents/batch", new ConsentBatchRequest([new ConsentRequest(subject, cohort.Id, [Hmb], "granted")]), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("consent.withdrawn_by_patient", single.GetProperty("code").GetString());
        Assert.NotEmpty(batch.FieldErrors("consents[0].status"));
        Assert.Equal(3, (await RegisterAsync(node, subject, cohort.Id, "withdrawn", Gru)).Version);
        await (await node.Client.PostAsJsonAsync("/api/v1/consents", new ConsentRequest(subject, cohort.Id, [Hmb], "granted"), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        var regranted = await (await patient.Client.PostAsJsonAsync($"/api/v1/me/consents/{consent.Id}/grant", new GrantRequest([Hmb]), DragonJson.Options))
            .ReadAsAsync<ConsentResponse>(HttpStatusCode.OK);
        Assert.Equal(("granted", 4), (regranted.Status, regranted.Version));
    }

    [Fact]
    public async Task ConcurrentFirstRegistrationsOfOneConsent_SaveOneAndAnswerTheOthersWithSuccessOrConflict()
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var subject = $"R-{Guid.NewGuid():N}";

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            node.Client.PostAsJsonAsync("/api/v1/consents", new ConsentRequest(subject, cohort.Id, [Hmb], "granted"), DragonJson.Options)));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"answered {(int)a.StatusCode}"));
        var again = await RegisterAsync(node, subject, cohort.Id, "granted", Hmb);
        Assert.Equal(1, again.Version);
    }

    private Task<(TestAccounts.EnrolledNode Node, CohortResponse Cohort)> NodeWithCohortAsync() => CohortSamples.NodeWithCohortAsync(Accounts);

    private static async Task<ConsentResponse> RegisterAsync(TestAccounts.EnrolledNode node, string subject, Guid cohortId, string status, string purpose) =>
        await (await node.Client.PostAsJsonAsync("/api/v1/consents", new ConsentRequest(subject, cohortId, [purpose], status, "signed form 2026-03"), DragonJson.Options))
            .ReadAsAsync<ConsentResponse>(HttpStatusCode.OK);

    private static async Task<List<ConsentResponse>> LinkAsync(TestAccounts.EnrolledNode node, TestAccounts.SignedIn patient, string subject, Guid cohortId)
    {
        var code = await (await node.Client.PostAsJsonAsync("/api/v1/consents/link-codes", new LinkCodeRequest(subject, cohortId), DragonJson.Options))
            .ReadAsAsync<LinkCodeResponse>(HttpStatusCode.Created);
        return await (await patient.Client.PostAsJsonAsync("/api/v1/me/links", new LinkRequest(code.Code), DragonJson.Options))
            .ReadAsAsync<List<ConsentResponse>>(HttpStatusCode.OK);
    }

    private static async Task<List<ConsentChange>> FeedAsync(TestAccounts.EnrolledNode node, long after, int limit, Guid untilVersionsOf, int count)
    {
        var all = new List<ConsentChange>();
        while (true)
        {
            var page = await (await node.Client.GetAsync($"/api/v1/nodes/me/consent-changes?after={after}&limit={limit}")).ReadAsAsync<ConsentFeed>(HttpStatusCode.OK);
            if (page.Items.Count == 0)
            {
                break;
            }
            all.AddRange(page.Items);
            after = page.NextCursor;
        }
        var mine = all.Where(c => c.ConsentId == untilVersionsOf).ToList();
        Assert.Equal(count, mine.Count);
        return mine;
    }
}

public sealed class SqliteConsentApiTests(SqliteApiFixture fixture) : ConsentApiTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresConsentApiTests(PostgresApiFixture fixture) : ConsentApiTests(fixture), IClassFixture<PostgresApiFixture>;
