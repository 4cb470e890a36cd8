using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Audit;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Contracts.Consent;
using Dragon.Contracts.Identity;
using Dragon.Platform.Audit;
using Dragon.Platform.Identity;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Catalogue;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Consent;

/// <summary>
/// GDPR art. 17 end to end through HTTP: a patient erases their account, or a node its subject; consents are withdrawn
/// for the node to read, then no table holds the e-mail, the name or the pseudonym in clear, and the audit trail keeps
/// its events and still verifies.
/// </summary>
public abstract class ErasureTests(ApiFixture fixture)
{
    private const string Hmb = "DUO:0000006";
    private DragonApiFactory Factory => fixture.Factory;

    [Fact]
    public async Task PatientErasure_LeavesNoPlainCopyOfEmailNameOrPseudonym_OnceTheNodeHasReadTheWithdrawals()
    {
        var (node, cohort) = await CohortSamples.NodeWithCohortAsync(Factory.Accounts);
        var subject = $"ERASE-{Guid.NewGuid():N}";
        await RegisterAsync(node, subject, cohort.Id);
        var patient = await NewPatientAsync();
        await LinkAsync(node, patient, subject, cohort.Id);
        Assert.NotEmpty(await PlainTextScan.FindAsync(Factory, patient.Email, patient.Name));
        Assert.NotEmpty(await PlainTextScan.FindAsync(Factory, subject));

        var erased = await (await patient.Client.PostAsJsonAsync("/api/v1/me/erasure", new AccountErasureRequest(TestAccounts.Password), DragonJson.Options))
            .ReadAsAsync<AccountErasureResponse>(HttpStatusCode.OK);

        Assert.Equal(new AccountErasureResponse(1, 1), erased);
        Assert.Empty(await PlainTextScan.FindAsync(Factory, patient.Email, patient.Name));
        Assert.Equal(HttpStatusCode.Unauthorized, (await patient.Client.GetAsync("/api/v1/me/consents")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Factory.Accounts.TokenAsync(TestAccounts.PasswordGrant(patient.Email, TestAccounts.Password))).StatusCode);

        // The node learns of the withdrawal under the pseudonym it knows; asking for what follows completes the erasure.
        var feed = await ReadFeedAsync(node);
        Assert.Contains(feed, c => c.SubjectRef == subject && c.Status == "withdrawn");
        Assert.Empty(await PlainTextScan.FindAsync(Factory, patient.Email, patient.Name, subject));

        var auditor = (await Factory.Accounts.AsAsync(DragonRoles.Auditor)).Client;
        var verified = await (await auditor.GetAsync("/api/v1/audit/verify?full=true")).ReadAsAsync<AuditVerifyResponse>(HttpStatusCode.OK);
        Assert.True(verified.Valid);
        var linked = await EventsAsync(auditor, $"action=Consent_PatientLinked&actor={patient.Id}");
        Assert.All(linked, e => Assert.Null(e.PersonalDataDecrypted));
        Assert.Single(await EventsAsync(auditor, $"action=Account_Erased&subject={patient.Id}"));
    }

    [Fact]
    public async Task NodeErasure_WithdrawsAtOnce_AndRemovesThePseudonymOnceTheAgentHasReadIt()
    {
        var (node, cohort) = await CohortSamples.NodeWithCohortAsync(Factory.Accounts);
        var subject = $"NODE-ERASE-{Guid.NewGuid():N}";
        var consent = await RegisterAsync(node, subject, cohort.Id);
        await IssueLinkCodeAsync(node, subject, cohort.Id);

        var erased = await (await node.Client.PostAsJsonAsync("/api/v1/consents/erasures", new SubjectErasureRequest(subject), DragonJson.Options))
            .ReadAsAsync<SubjectErasureResponse>(HttpStatusCode.OK);

        Assert.Equal(new SubjectErasureResponse(1, Complete: false), erased);
        Assert.NotEmpty(await PlainTextScan.FindAsync(Factory, subject));
        var feed = await ReadFeedAsync(node);
        Assert.Equal("withdrawn", feed.Last(c => c.ConsentId == consent.Id).Status);
        Assert.Empty(await PlainTextScan.FindAsync(Factory, subject));

        // The hospital may enrol the same pseudonym again later (a new consent): the platform takes it.
        await IssueLinkCodeAsync(node, subject, cohort.Id);
    }

    [Fact]
    public async Task NodeErasure_OfASubjectWithNoConsents_IsCompleteAtOnce()
    {
        var (node, cohort) = await CohortSamples.NodeWithCohortAsync(Factory.Accounts);
        var subject = $"CODE-ONLY-{Guid.NewGuid():N}";
        await IssueLinkCodeAsync(node, subject, cohort.Id);

        var erased = await (await node.Client.PostAsJsonAsync("/api/v1/consents/erasures", new SubjectErasureRequest(subject), DragonJson.Options))
            .ReadAsAsync<SubjectErasureResponse>(HttpStatusCode.OK);

        Assert.Equal(new SubjectErasureResponse(0, Complete: true), erased);
        Assert.Empty(await PlainTextScan.FindAsync(Factory, subject));
    }

    [Fact]
    public async Task NodeErasure_OfAnInvalidPseudonym_IsRefused()
    {
        var (node, _) = await CohortSamples.NodeWithCohortAsync(Factory.Accounts);

        var problem = await (await node.Client.PostAsJsonAsync("/api/v1/consents/erasures", new SubjectErasureRequest("not a pseudonym!"), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("subjectRef"));
    }

    [Fact]
    public async Task PatientErasure_WithAWrongPassword_ChangesNothing()
    {
        var (node, cohort) = await CohortSamples.NodeWithCohortAsync(Factory.Accounts);
        var subject = $"KEEP-{Guid.NewGuid():N}";
        await RegisterAsync(node, subject, cohort.Id);
        var patient = await NewPatientAsync();
        await LinkAsync(node, patient, subject, cohort.Id);

        var problem = await (await patient.Client.PostAsJsonAsync("/api/v1/me/erasure", new AccountErasureRequest("not my password"), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("password"));
        var mine = await (await patient.Client.GetAsync("/api/v1/me/consents")).ReadAsAsync<List<ConsentResponse>>(HttpStatusCode.OK);
        Assert.Equal("granted", Assert.Single(mine).Status);
        Assert.NotEmpty(await PlainTextScan.FindAsync(Factory, patient.Email));
    }

    [Fact]
    public async Task AccountWithStaffRoles_IsNotErasedByItsOwner()
    {
        var both = await Factory.Accounts.NewUserAsync(DragonRoles.Patient, DragonRoles.Researcher);

        var problem = await (await both.Client.PostAsJsonAsync("/api/v1/me/erasure", new AccountErasureRequest(TestAccounts.Password), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("account.erasure_staff", problem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await both.Client.GetAsync("/api/v1/users/me")).StatusCode);
    }

    [Fact]
    public async Task PersonKeys_AreStoredWrapped_AndDoNotOpenWithoutTheWrappingKeyFile()
    {
        var patient = await NewPatientAsync();
        await using var scope = Factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<DragonDbContext>().PersonKeys.AsNoTracking().SingleAsync(k => k.PersonRef == patient.Id);
        var folder = Directory.CreateTempSubdirectory("dragon-other-wrapping-");
        try
        {
            var other = PersonKeyWrapping.LoadOrCreate(Path.Combine(folder.FullName, "other.key"));
            Assert.Equal(60, stored.Key!.Length);
            Assert.Null(other.Unwrap(patient.Id, stored.Key));
            Assert.NotNull(scope.ServiceProvider.GetRequiredService<PersonKeyWrapping>().Unwrap(patient.Id, stored.Key));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private sealed record Patient(Guid Id, string Email, string Name, HttpClient Client);

    private async Task<Patient> NewPatientAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var email = $"erasable-{tag}@dragon.test";
        var name = $"Erasable Person {tag}";
        var admin = await Factory.Accounts.AdminAsync();
        var user = await (await admin.PostAsJsonAsync("/api/v1/users", new CreateUserRequest(email, TestAccounts.Password, name, [DragonRoles.Patient]), DragonJson.Options))
            .ReadAsAsync<UserResponse>(HttpStatusCode.Created);
        var client = Factory.Accounts.Authorized(await Factory.Accounts.PasswordTokenAsync(email, TestAccounts.Password));
        return new Patient(user.Id, email, name, client);
    }

    private static async Task<ConsentResponse> RegisterAsync(TestAccounts.EnrolledNode node, string subject, Guid cohortId) =>
        await (await node.Client.PostAsJsonAsync("/api/v1/consents", new ConsentRequest(subject, cohortId, [Hmb], "granted", "signed form 2026-11"), DragonJson.Options))
            .ReadAsAsync<ConsentResponse>(HttpStatusCode.OK);

    private static async Task<LinkCodeResponse> IssueLinkCodeAsync(TestAccounts.EnrolledNode node, string subject, Guid cohortId) =>
        await (await node.Client.PostAsJsonAsync("/api/v1/consents/link-codes", new LinkCodeRequest(subject, cohortId), DragonJson.Options))
            .ReadAsAsync<LinkCodeResponse>(HttpStatusCode.Created);

    private static async Task LinkAsync(TestAccounts.EnrolledNode node, Patient patient, string subject, Guid cohortId)
    {
        var code = await IssueLinkCodeAsync(node, subject, cohortId);
        await (await patient.Client.PostAsJsonAsync("/api/v1/me/links", new LinkRequest(code.Code), DragonJson.Options)).ReadAsAsync<List<ConsentResponse>>(HttpStatusCode.OK);
    }

    /// <summary>The node's whole feed, as its agent reads it: page after page, then once more from the last cursor.</summary>
    private static async Task<List<ConsentChange>> ReadFeedAsync(TestAccounts.EnrolledNode node)
    {
        var all = new List<ConsentChange>();
        long after = 0;
        while (true)
        {
            var page = await (await node.Client.GetAsync($"/api/v1/nodes/me/consent-changes?after={after}")).ReadAsAsync<ConsentFeed>(HttpStatusCode.OK);
            all.AddRange(page.Items);
            if (page.Items.Count == 0)
            {
                return all;
            }
            after = page.NextCursor;
        }
    }

    private static async Task<IReadOnlyList<AuditEventResponse>> EventsAsync(HttpClient auditor, string query) =>
        (await (await auditor.GetAsync($"/api/v1/audit/events?{query}")).ReadAsAsync<Paged<AuditEventResponse>>(HttpStatusCode.OK)).Items;
}

public sealed class SqliteErasureTests(SqliteApiFixture fixture) : ErasureTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresErasureTests(PostgresApiFixture fixture) : ErasureTests(fixture), IClassFixture<PostgresApiFixture>;
