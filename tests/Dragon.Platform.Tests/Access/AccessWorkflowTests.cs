using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Access;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Platform.Access;
using Dragon.Platform.Identity;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Catalogue;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Access;

/// <summary>The request-to-agreement path through HTTP with real tokens, and every illegal transition.</summary>
public abstract class AccessWorkflowTests(ApiFixture fixture)
{
    private const string Hmb = "DUO:0000006";
    private TestAccounts Accounts => fixture.Factory.Accounts;

    [Fact]
    public async Task RequestSpanningTwoCohorts_ApprovedByBothStewards_CreatesTheAgreement()
    {
        var s = await SetUpAsync();
        var request = await SubmitAsync(s);

        var afterFirst = await DecideAsync(s.StewardA, request.Id, "approve");
        var afterSecond = await DecideAsync(s.StewardB, request.Id, "approve");
        var agreement = await (await s.Researcher.Client.GetAsync($"/api/v1/agreements/{afterSecond.AgreementId}")).ReadAsAsync<AgreementResponse>(HttpStatusCode.OK);

        Assert.Equal(("Submitted", (Guid?)null), (afterFirst.Status, afterFirst.AgreementId));
        Assert.Equal("Approved", afterSecond.Status);
        Assert.Equal("active", agreement.Status);
        Assert.Equal(new[] { s.CohortA.Id, s.CohortB.Id }.Order(), agreement.CohortIds.Order());
        Assert.Equal((Hmb, 1.0, 0.0), (agreement.Purpose, agreement.PrivacyBudget, agreement.BudgetSpent));
        Assert.InRange(agreement.ExpiresAt - agreement.CreatedAt, TimeSpan.FromDays(90), TimeSpan.FromDays(90));
        Assert.Equal(["age", "ct_severity"], agreement.Variables);
        var stewardView = await (await s.StewardA.Client.GetAsync($"/api/v1/agreements/{agreement.Id}")).ReadAsAsync<AgreementResponse>(HttpStatusCode.OK);
        Assert.Equal(agreement.Id, stewardView.Id);
    }

    [Fact]
    public async Task Requester_WhoStewardsTheCohort_CannotDecideOnTheirOwnRequest_UntilAnotherStewardDoes()
    {
        var dual = await Accounts.NewUserAsync(DragonRoles.Researcher, DragonRoles.DataSteward);
        var cohort = await (await dual.Client.PostAsJsonAsync("/api/v1/cohorts", CohortSamples.Valid(CohortSamples.UniqueTag(), dataUse: Hmb), DragonJson.Options))
            .ReadAsAsync<CohortResponse>(HttpStatusCode.Created);
        var request = await (await dual.Client.PostAsJsonAsync("/api/v1/access-requests", new AccessRequestBody(
                "Own cohort", Hmb, [cohort.Id], ["age"], ["count"], "Counting admissions in the cohort I steward myself.", 30), DragonJson.Options))
            .ReadAsAsync<AccessRequestResponse>(HttpStatusCode.Created);

        foreach (var decision in new[] { "approve", "reject" })
        {
            var refused = await (await PostDecisionAsync(dual, request.Id, decision)).AssertProblemAsync(HttpStatusCode.Forbidden);
            Assert.Equal("access_request.own_request", refused.GetProperty("code").GetString());
        }
        var unchanged = await (await dual.Client.GetAsync($"/api/v1/access-requests/{request.Id}")).ReadAsAsync<AccessRequestResponse>(HttpStatusCode.OK);
        Assert.Equal(("Submitted", 0), (unchanged.Status, unchanged.Decisions.Count));
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
            Assert.False(await db.AuditEvents.AnyAsync(e => e.ObjectId == request.Id.ToString() && e.Action == Dragon.Platform.Audit.AuditAction.AccessRequest_Decided));
        }

        var other = await Accounts.NewUserAsync(DragonRoles.DataSteward);
        (await (await Accounts.AdminAsync()).PostAsJsonAsync($"/api/v1/cohorts/{cohort.Id}/stewards", new AddStewardRequest(other.User.Id), DragonJson.Options)).EnsureSuccessStatusCode();
        var approved = await DecideAsync(other, request.Id, "approve");

        Assert.Equal("Approved", approved.Status);
        Assert.Equal(other.User.Id, Assert.Single(approved.Decisions).StewardId);
    }

    [Fact]
    public async Task BothStewardsApprovingAtOnce_MakeExactlyOneAgreement()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var s = await SetUpAsync();
            var request = await SubmitAsync(s);

            var answers = await Task.WhenAll(PostDecisionAsync(s.StewardA, request.Id, "approve"), PostDecisionAsync(s.StewardB, request.Id, "approve"));

            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
            var decided = await (await s.Researcher.Client.GetAsync($"/api/v1/access-requests/{request.Id}")).ReadAsAsync<AccessRequestResponse>(HttpStatusCode.OK);
            Assert.Equal(("Approved", 2), (decided.Status, decided.Decisions.Count));
            await using var scope = fixture.Factory.Services.CreateAsyncScope();
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<DragonDbContext>().Agreements.CountAsync(a => a.RequestId == request.Id));
        }
    }

    [Fact]
    public async Task ApprovalAndWithdrawalAtOnce_LeaveEitherAnApprovedRequestOrAWithdrawnOneWithoutAgreement()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var s = await SetUpAsync();
            var request = await SubmitAsync(s);
            await DecideAsync(s.StewardA, request.Id, "approve");

            var answers = await Task.WhenAll(PostDecisionAsync(s.StewardB, request.Id, "approve"), s.Researcher.Client.PostAsync($"/api/v1/access-requests/{request.Id}/withdraw", null));

            var final = await (await s.Researcher.Client.GetAsync($"/api/v1/access-requests/{request.Id}")).ReadAsAsync<AccessRequestResponse>(HttpStatusCode.OK);
            await using var scope = fixture.Factory.Services.CreateAsyncScope();
            var agreements = await scope.ServiceProvider.GetRequiredService<DragonDbContext>().Agreements.CountAsync(a => a.RequestId == request.Id);
            Assert.Equal(final.Status == "Approved" ? 1 : 0, agreements);
            Assert.True(final.Status is "Approved" or "Withdrawn", final.Status);
            Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"answered {(int)a.StatusCode}"));
            Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        }
    }

    [Fact]
    public async Task IllegalTransitions_AreRefusedAndChangeNothing()
    {
        var s = await SetUpAsync();
        var request = await SubmitAsync(s);
        await DecideAsync(s.StewardA, request.Id, "approve");
        var outsider = await Accounts.NewUserAsync(DragonRoles.DataSteward);

        var twice = await (await PostDecisionAsync(s.StewardA, request.Id, "approve")).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await PostDecisionAsync(outsider, request.Id, "approve")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await PostDecisionAsync(s.StewardB, request.Id, "maybe")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await PostDecisionAsync(s.StewardB, request.Id, "reject", comment: "")).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("access_request.already_decided", twice.GetProperty("code").GetString());
        var unchanged = await (await s.Researcher.Client.GetAsync($"/api/v1/access-requests/{request.Id}")).ReadAsAsync<AccessRequestResponse>(HttpStatusCode.OK);
        Assert.Equal(("Submitted", 1), (unchanged.Status, unchanged.Decisions.Count));
    }

    [Fact]
    public async Task DecidingOnAWithdrawnOrRejectedRequest_Conflicts()
    {
        var s = await SetUpAsync();
        var withdrawn = await SubmitAsync(s);
        (await s.Researcher.Client.PostAsync($"/api/v1/access-requests/{withdrawn.Id}/withdraw", null)).EnsureSuccessStatusCode();
        var rejected = await SubmitAsync(s);
        await DecideAsync(s.StewardA, rejected.Id, "reject", "The justification does not explain the need for CT scores.");

        await (await PostDecisionAsync(s.StewardA, withdrawn.Id, "approve")).AssertProblemAsync(HttpStatusCode.Conflict);
        var late = await (await PostDecisionAsync(s.StewardB, rejected.Id, "approve")).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await s.Researcher.Client.PostAsync($"/api/v1/access-requests/{withdrawn.Id}/withdraw", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("access_request.not_open", late.GetProperty("code").GetString());
    }

    [Fact]
    public async Task RequestedChanges_AmendedAndResubmitted_AreDecidedInANewRound()
    {
        var s = await SetUpAsync();
        var request = await SubmitAsync(s);
        var changes = await DecideAsync(s.StewardB, request.Id, "requestChanges", "Please narrow the variables to what the analysis needs.");

        var amended = await (await s.Researcher.Client.PutAsJsonAsync($"/api/v1/access-requests/{request.Id}", Body(s) with { Variables = ["age"] }, DragonJson.Options))
            .ReadAsAsync<AccessRequestResponse>(HttpStatusCode.OK);
        await DecideAsync(s.StewardA, request.Id, "approve");
        var approved = await DecideAsync(s.StewardB, request.Id, "approve");

        Assert.Equal("ChangesRequested", changes.Status);
        Assert.Equal(("Submitted", 2), (amended.Status, amended.Round));
        Assert.Equal("Approved", approved.Status);
        Assert.NotNull(approved.AgreementId);
        await (await s.Researcher.Client.PutAsJsonAsync($"/api/v1/access-requests/{request.Id}", Body(s), DragonJson.Options)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Submit_WithAVariableMissingFromACohortOrADisallowedPurpose_IsRefused()
    {
        var s = await SetUpAsync();
        var diseaseOnly = await (await s.StewardA.Client.PostAsJsonAsync("/api/v1/cohorts", CohortSamples.Valid(CohortSamples.UniqueTag(), dataUse: "DUO:0000007"), DragonJson.Options))
            .ReadAsAsync<CohortResponse>(HttpStatusCode.Created);

        var missing = await (await s.Researcher.Client.PostAsJsonAsync("/api/v1/access-requests", Body(s) with { Variables = ["age", "lung_volume"] }, DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        var purpose = await (await s.Researcher.Client.PostAsJsonAsync("/api/v1/access-requests", Body(s) with { CohortIds = [s.CohortA.Id, diseaseOnly.Id] }, DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(2, missing.FieldErrors("variables").Length);
        Assert.Contains("does not allow", Assert.Single(purpose.FieldErrors("purpose")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedAgreement_IsReportedAsRevoked()
    {
        var s = await SetUpAsync();
        var agreementId = await ApprovedAgreementAsync(s);

        var revoked = await (await s.StewardB.Client.PostAsync($"/api/v1/agreements/{agreementId}/revoke", null)).ReadAsAsync<AgreementResponse>(HttpStatusCode.OK);
        await (await s.StewardB.Client.PostAsync($"/api/v1/agreements/{agreementId}/revoke", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        var outsider = await Accounts.NewUserAsync(DragonRoles.DataSteward);
        await (await outsider.Client.PostAsync($"/api/v1/agreements/{agreementId}/revoke", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        var seen = await (await s.Researcher.Client.GetAsync($"/api/v1/agreements/{agreementId}")).ReadAsAsync<AgreementResponse>(HttpStatusCode.OK);

        Assert.Equal("revoked", revoked.Status);
        Assert.Equal("revoked", seen.Status);
        Assert.NotNull(seen.RevokedAt);
    }

    [Fact]
    public async Task ExpiredAgreement_IsReportedAsExpired_AndTheJobRecordsIt()
    {
        var s = await SetUpAsync();
        var agreementId = await ApprovedAgreementAsync(s);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        await db.Agreements.Where(a => a.Id == agreementId).ExecuteUpdateAsync(set => set.SetProperty(a => a.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));

        var beforeJob = await (await s.Researcher.Client.GetAsync($"/api/v1/agreements/{agreementId}")).ReadAsAsync<AgreementResponse>(HttpStatusCode.OK);
        var expired = await scope.ServiceProvider.GetRequiredService<Agreements>().ExpireAsync(default);
        var stored = await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == agreementId);

        Assert.Equal("expired", beforeJob.Status);
        Assert.True(expired >= 1);
        Assert.Equal(AgreementStatus.Expired, stored.Status);
        await (await s.StewardA.Client.PostAsync($"/api/v1/agreements/{agreementId}/revoke", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AnotherResearcher_CannotSeeTheRequestOrAgreement()
    {
        var s = await SetUpAsync();
        var agreementId = await ApprovedAgreementAsync(s);
        var other = await Accounts.NewUserAsync(DragonRoles.Researcher);

        await (await other.Client.GetAsync($"/api/v1/agreements/{agreementId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var list = await (await other.Client.GetAsync("/api/v1/agreements")).ReadAsAsync<Paged<AgreementResponse>>(HttpStatusCode.OK);
        Assert.DoesNotContain(list.Items, a => a.Id == agreementId);
    }

    private sealed record Setup(TestAccounts.SignedIn Researcher, TestAccounts.SignedIn StewardA, TestAccounts.SignedIn StewardB, CohortResponse CohortA, CohortResponse CohortB);

    private async Task<Setup> SetUpAsync()
    {
        var stewardA = await Accounts.NewUserAsync(DragonRoles.DataSteward);
        var stewardB = await Accounts.NewUserAsync(DragonRoles.DataSteward);
        var cohortA = await (await stewardA.Client.PostAsJsonAsync("/api/v1/cohorts", CohortSamples.Valid(CohortSamples.UniqueTag(), dataUse: "DUO:0000042"), DragonJson.Options))
            .ReadAsAsync<CohortResponse>(HttpStatusCode.Created);
        var cohortB = await (await stewardB.Client.PostAsJsonAsync("/api/v1/cohorts", CohortSamples.Valid(CohortSamples.UniqueTag(), country: "BE", dataUse: Hmb), DragonJson.Options))
            .ReadAsAsync<CohortResponse>(HttpStatusCode.Created);
        return new Setup(await Accounts.AsAsync(DragonRoles.Researcher), stewardA, stewardB, cohortA, cohortB);
    }

    private static AccessRequestBody Body(Setup s) => new(
        "CT severity and age in ICU admissions", Hmb, [s.CohortA.Id, s.CohortB.Id], ["age", "ct_severity"], ["count", "histogram"],
        "We study how CT severity scores at admission relate to age across hospitals.", 90);

    private static async Task<AccessRequestResponse> SubmitAsync(Setup s) =>
        await (await s.Researcher.Client.PostAsJsonAsync("/api/v1/access-requests", Body(s), DragonJson.Options)).ReadAsAsync<AccessRequestResponse>(HttpStatusCode.Created);

    private static Task<HttpResponseMessage> PostDecisionAsync(TestAccounts.SignedIn steward, Guid requestId, string decision, string? comment = "Looks fine to me.") =>
        steward.Client.PostAsJsonAsync($"/api/v1/access-requests/{requestId}/decisions", new DecisionRequest(decision, comment), DragonJson.Options);

    private static async Task<AccessRequestResponse> DecideAsync(TestAccounts.SignedIn steward, Guid requestId, string decision, string comment = "Looks fine to me.") =>
        await (await PostDecisionAsync(steward, requestId, decision, comment)).ReadAsAsync<AccessRequestResponse>(HttpStatusCode.OK);

    private static async Task<Guid> ApprovedAgreementAsync(Setup s)
    {
        var request = await SubmitAsync(s);
        await DecideAsync(s.StewardA, request.Id, "approve");
        return (await DecideAsync(s.StewardB, request.Id, "approve")).AgreementId!.Value;
    }
}

public sealed class SqliteAccessWorkflowTests(SqliteApiFixture fixture) : AccessWorkflowTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresAccessWorkflowTests(PostgresApiFixture fixture) : AccessWorkflowTests(fixture), IClassFixture<PostgresApiFixture>;
