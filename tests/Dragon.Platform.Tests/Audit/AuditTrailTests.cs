using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dragon.Contracts.Audit;
using Dragon.Contracts.Common;
using Dragon.Platform.Audit;
using Dragon.Platform.Identity;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Catalogue;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Audit;

/// <summary>The audit mechanism on each database: concurrency, fail-closed writes, crypto-shredding, the feature events.</summary>
public abstract class AuditTrailTests(ApiFixture fixture)
{
    private DragonApiFactory Factory => fixture.Factory;

    [Fact]
    public async Task EightConcurrentWriters_ProduceAGapFreeValidChain()
    {
        var before = await HeadAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await using var scope = Factory.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AuditTrail>().SaveChangesAsync(
                    new AuditEntry(AuditActor.System, AuditAction.Retention_Applied, "ConcurrencyTest", $"{writer}-{i}"), default);
            }
        })));

        await using var check = Factory.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<DragonDbContext>();
        var sequences = await db.AuditEvents.Where(e => e.Sequence > before).Select(e => e.Sequence).OrderBy(s => s).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 80).Select(i => before + 1 + i), sequences);
        Assert.Equal(80, await db.AuditEvents.CountAsync(e => e.ObjectType == "ConcurrencyTest" && e.Sequence > before));
        Assert.True((await check.ServiceProvider.GetRequiredService<AuditVerification>().VerifyAsync(default)).Valid);
    }

    [Fact]
    public async Task PublishingACohort_AppendsItsEventWithTheActor()
    {
        var steward = await Factory.Accounts.AsAsync(DragonRoles.DataSteward);
        var cohort = await (await steward.Client.PostAsJsonAsync("/api/v1/cohorts", CohortSamples.Valid("audited"), DragonJson.Options))
            .ReadAsAsync<Dragon.Contracts.Catalogue.CohortResponse>(HttpStatusCode.Created);

        var events = await EventsAsync($"subject={cohort.Id}");

        var published = Assert.Single(events.Items);
        Assert.Equal(nameof(AuditAction.Cohort_Published), published.Action);
        Assert.Equal((int)AuditAction.Cohort_Published, published.ActionCode);
        Assert.Equal(steward.User.Id.ToString(), published.ActorId);
        Assert.Equal("User", published.ActorType);
    }

    [Fact]
    public async Task SignIn_IsRecordedWithoutAPassword()
    {
        var researcher = await Factory.Accounts.NewUserAsync(DragonRoles.Researcher);

        var events = await EventsAsync($"actor={researcher.User.Id}&action=Account_SignedIn");

        var signIn = Assert.Single(events.Items);
        Assert.Contains("password-grant", signIn.Payload, StringComparison.Ordinal);
        Assert.DoesNotContain(TestAccounts.Password, JsonSerializer.Serialize(signIn), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErasedPerson_EventsStillVerifyAndNoLongerRevealTheirData()
    {
        var patient = await Factory.Accounts.NewUserAsync(DragonRoles.Patient);
        var before = await EventsAsync($"subject={patient.User.Id}&action=Account_Created");
        Assert.Equal(patient.User.Email, Assert.Single(before.Items).PersonalDataDecrypted);

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<PersonErasure>().EraseAsync(patient.User.Id, AuditActor.System, default));
        }

        var after = Assert.Single((await EventsAsync($"subject={patient.User.Id}&action=Account_Created")).Items);
        Assert.Null(after.PersonalDataDecrypted);
        Assert.Equal(before.Items[0].PersonalData, after.PersonalData);
        Assert.DoesNotContain(patient.User.Email, after.PersonalData!, StringComparison.Ordinal);
        var auditor = (await Factory.Accounts.AsAsync(DragonRoles.Auditor)).Client;
        Assert.True((await (await auditor.GetAsync("/api/v1/audit/verify")).ReadAsAsync<AuditVerifyResponse>(HttpStatusCode.OK)).Valid);
        Assert.Single((await EventsAsync($"subject={patient.User.Id}&action=Person_DataErased")).Items);
    }

    [Fact]
    public async Task Events_WithAnUnknownAction_AnswerAFieldError()
    {
        var auditor = (await Factory.Accounts.AsAsync(DragonRoles.Auditor)).Client;

        var problem = await (await auditor.GetAsync("/api/v1/audit/events?action=Nope")).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("action"));
    }

    [Fact]
    public async Task RecordsOfProcessing_CombineTheRegisterWithLiveFigures()
    {
        var auditor = (await Factory.Accounts.AsAsync(DragonRoles.Auditor)).Client;

        var register = JsonDocument.Parse(await auditor.GetStringAsync("/api/v1/audit/records-of-processing")).RootElement;

        Assert.False(string.IsNullOrEmpty(register.GetProperty("controller").GetProperty("name").GetString()));
        Assert.True(register.GetProperty("activities").GetArrayLength() > 0);
        Assert.True(register.GetProperty("figures").GetProperty("accountsByRole").GetProperty("Auditor").GetInt32() >= 1);
        Assert.True(register.GetProperty("figures").GetProperty("auditEvents").GetInt64() > 0);
    }

    [Fact]
    public async Task RetentionJob_RemovesOldWorkAndIsAudited()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        var old = new Dragon.Platform.BackgroundWork.WorkItem
        {
            Id = Guid.NewGuid(), Kind = "old", Payload = "", State = Dragon.Platform.BackgroundWork.WorkItemState.Succeeded,
            CreatedAt = DateTimeOffset.UtcNow.AddDays(-100), CompletedAt = DateTimeOffset.UtcNow.AddDays(-100),
        };
        db.WorkItems.Add(old);
        await db.SaveChangesAsync();

        var removed = await scope.ServiceProvider.GetRequiredService<RetentionJob>().ApplyAsync(default);

        Assert.True(removed["work-items"] >= 1);
        Assert.False(await db.WorkItems.AnyAsync(w => w.Id == old.Id));
        Assert.NotEmpty((await EventsAsync("action=Retention_Applied")).Items);
    }

    private async Task<Paged<AuditEventResponse>> EventsAsync(string query)
    {
        var auditor = (await Factory.Accounts.AsAsync(DragonRoles.Auditor)).Client;
        return await (await auditor.GetAsync($"/api/v1/audit/events?{query}&pageSize=200")).ReadAsAsync<Paged<AuditEventResponse>>(HttpStatusCode.OK);
    }

    private async Task<long> HeadAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<DragonDbContext>().AuditHeads.SingleAsync()).LastSequence;
    }
}

[Collection(nameof(AuditTamperTests))]
public sealed class SqliteAuditTrailTests(SqliteApiFixture fixture) : AuditTrailTests(fixture), IClassFixture<SqliteApiFixture>;

[Collection(nameof(AuditTamperTests))]
public sealed class PostgresAuditTrailTests(PostgresApiFixture fixture) : AuditTrailTests(fixture), IClassFixture<PostgresApiFixture>;

public sealed class AuditFailClosedTests
{
    [Fact]
    public async Task FailingAuditStore_RollsTheChangeBack()
    {
        using var factory = DragonApiFactory.Create(DatabaseProvider.Sqlite);
        try
        {
            var steward = (await factory.Accounts.AsAsync(DragonRoles.DataSteward)).Client;
            using (var connection = new SqliteConnection(factory.ConnectionString))
            {
                connection.Open();
                using var trigger = connection.CreateCommand();
                trigger.CommandText = "CREATE TRIGGER audit_store_down BEFORE INSERT ON AuditEvents BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END;";
                trigger.ExecuteNonQuery();
            }

            var response = await steward.PostAsJsonAsync("/api/v1/cohorts", CohortSamples.Valid("must-not-exist"), DragonJson.Options);

            await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
            await using var scope = factory.Services.CreateAsyncScope();
            Assert.False(await scope.ServiceProvider.GetRequiredService<DragonDbContext>().Cohorts.AnyAsync(c => c.Name.Contains("must-not-exist")));
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }
}
