using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Access;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Contracts.Consent;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Platform.Identity;
using Dragon.Platform.Tests.Catalogue;
using Dragon.Platform.Tests.Infrastructure;
using Dragon.Platform.Tests.Jobs;

namespace Dragon.Platform.Tests.Consent;

/// <summary>GDPR art. 15: the patient sees the agreements and jobs that used their cohort while their consent covered the purpose.</summary>
public sealed class AccessLogTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    private TestAccounts Accounts => fixture.Factory.Accounts;

    [Fact]
    public async Task AccessLog_ListsAgreementsWhileConsentCoveredThePurpose_AndEndsAtWithdrawal()
    {
        var node = await Accounts.EnrollNodeAsync();
        var cohort = await (await node.Client.PostAsJsonAsync("/api/v1/cohorts", CohortSamples.Valid(CohortSamples.UniqueTag(), dataUse: "DUO:0000042"), DragonJson.Options))
            .ReadAsAsync<CohortResponse>(HttpStatusCode.Created);
        var admin = await Accounts.AdminAsync();
        var steward = await Accounts.NewUserAsync(DragonRoles.DataSteward);
        (await admin.PostAsJsonAsync($"/api/v1/cohorts/{cohort.Id}/stewards", new AddStewardRequest(steward.User.Id), DragonJson.Options)).EnsureSuccessStatusCode();
        var covered = await (await node.Client.PostAsJsonAsync("/api/v1/consents", new ConsentRequest("P-1", cohort.Id, ["DUO:0000006"], "granted"), DragonJson.Options))
            .ReadAsAsync<ConsentResponse>(HttpStatusCode.OK);
        (await node.Client.PostAsJsonAsync("/api/v1/consents", new ConsentRequest("P-2", cohort.Id, ["DUO:0000011"], "granted"), DragonJson.Options))
            .EnsureSuccessStatusCode();
        var patient = await LinkedPatientAsync(node, "P-1", cohort.Id);
        var other = await LinkedPatientAsync(node, "P-2", cohort.Id);
        var researcher = await Accounts.AsAsync(DragonRoles.Researcher);
        var request = await (await researcher.Client.PostAsJsonAsync("/api/v1/access-requests", new AccessRequestBody(
                "Age at admission", "DUO:0000006", [cohort.Id], ["age"], ["count"], "We describe the age of admitted COVID-19 patients.", 30), DragonJson.Options))
            .ReadAsAsync<AccessRequestResponse>(HttpStatusCode.Created);
        var approved = await (await steward.Client.PostAsJsonAsync($"/api/v1/access-requests/{request.Id}/decisions", new DecisionRequest("approve", "ok", ReleaseModes.Exact), DragonJson.Options))
            .ReadAsAsync<AccessRequestResponse>(HttpStatusCode.OK);
        (await patient.Client.PostAsync($"/api/v1/me/consents/{covered.Id}/withdraw", null)).EnsureSuccessStatusCode();

        var log = await (await patient.Client.GetAsync("/api/v1/me/access-log")).ReadAsAsync<List<AccessLogEntry>>(HttpStatusCode.OK);
        var otherLog = await (await other.Client.GetAsync("/api/v1/me/access-log")).ReadAsAsync<List<AccessLogEntry>>(HttpStatusCode.OK);

        var entry = Assert.Single(log);
        Assert.Equal((approved.AgreementId, covered.Id, "agreement"), (entry.AgreementId, entry.ConsentId, entry.Kind));
        Assert.NotNull(entry.To);
        Assert.Empty(otherLog);
    }

    [Fact]
    public async Task AccessLog_ListsJobsThatStartedWhileConsentCoveredThePurpose()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var node = s.Nodes[0];
        var consent = await (await node.Client.PostAsJsonAsync("/api/v1/consents", new ConsentRequest("J-1", s.Cohorts[0].Id, ["DUO:0000042"], "granted"), DragonJson.Options))
            .ReadAsAsync<ConsentResponse>(HttpStatusCode.OK);
        var patient = await LinkedPatientAsync(node, "J-1", s.Cohorts[0].Id);
        var before = await s.SubmitAsync(new AggregationSpec("count"));
        (await patient.Client.PostAsync($"/api/v1/me/consents/{consent.Id}/withdraw", null)).EnsureSuccessStatusCode();
        var after = await s.SubmitAsync(new AggregationSpec("count"));

        var log = await (await patient.Client.GetAsync("/api/v1/me/access-log")).ReadAsAsync<List<AccessLogEntry>>(HttpStatusCode.OK);

        Assert.Equal(["agreement", "job"], log.Select(e => e.Kind));
        var job = log[1];
        Assert.Equal((before.Id, s.AgreementId, consent.Id), (job.JobId, job.AgreementId, job.ConsentId));
        Assert.DoesNotContain(log, e => e.JobId == after.Id);
        var earlier = await (await patient.Client.GetAsync($"/api/v1/me/access-log?before={Uri.EscapeDataString(job.From.ToString("O"))}"))
            .ReadAsAsync<List<AccessLogEntry>>(HttpStatusCode.OK);
        Assert.Equal(["agreement"], earlier.Select(e => e.Kind));
        Assert.All(earlier, e => Assert.True(e.From < job.From));
    }

    private async Task<TestAccounts.SignedIn> LinkedPatientAsync(TestAccounts.EnrolledNode node, string subject, Guid cohortId)
    {
        var patient = await Accounts.NewUserAsync(DragonRoles.Patient);
        var code = await (await node.Client.PostAsJsonAsync("/api/v1/consents/link-codes", new LinkCodeRequest(subject, cohortId), DragonJson.Options))
            .ReadAsAsync<LinkCodeResponse>(HttpStatusCode.Created);
        (await patient.Client.PostAsJsonAsync("/api/v1/me/links", new LinkRequest(code.Code), DragonJson.Options)).EnsureSuccessStatusCode();
        return patient;
    }
}
