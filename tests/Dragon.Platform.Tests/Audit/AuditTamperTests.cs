using System.Net;
using Dragon.Contracts.Audit;
using Dragon.Platform.Audit;
using Dragon.Platform.Identity;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Audit;

/// <summary>
/// Every way of rewriting the trail directly in the database (changing, deleting, inserting, reordering rows,
/// flipping a bit, cutting it short) makes verification fail at the right sequence; the untouched trail verifies.
/// Each case restores the rows afterwards, so the cases share one host.
/// </summary>
public abstract class AuditTamperTests(ApiFixture fixture) : IAsyncLifetime
{
    private const int Events = 12;
    private List<AuditEvent> _original = [];
    private List<AuditCheckpoint> _checkpoints = [];

    public async Task InitializeAsync()
    {
        await fixture.Factory.Accounts.AsAsync(DragonRoles.Auditor);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var verification = scope.ServiceProvider.GetRequiredService<AuditVerification>();
        while ((await verification.VerifyAsync(default)).EventsChecked < Events)
        {
            await fixture.Factory.Accounts.NewUserAsync(DragonRoles.Researcher);
        }
        await scope.ServiceProvider.GetRequiredService<AuditCheckpoints>().SignLatestAsync(default);
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        _original = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        _checkpoints = await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task UntouchedTrail_Verifies()
    {
        var report = await VerifyAsync();

        Assert.True(report.Valid);
        Assert.Null(report.FirstInvalidSequence);
        Assert.Equal(_original[^1].Sequence, report.LatestCheckpoint!.Sequence);
    }

    [Theory]
    [InlineData("Payload", "{\"forged\":\"yes\"}")]
    [InlineData("ActorId", "someone-else")]
    [InlineData("ObjectId", "another-object")]
    [InlineData("Purpose", "a different purpose")]
    public async Task ChangedField_FailsAtThatSequence(string column, string value)
    {
        await TamperAsync($"UPDATE \"AuditEvents\" SET \"{column}\" = '{value}' WHERE \"Sequence\" = 5", expectedInvalid: 5);
    }

    [Fact]
    public async Task DeletedRow_FailsAtItsSequence()
    {
        await TamperAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 4", expectedInvalid: 4);
    }

    [Fact]
    public async Task SwappedRows_FailAtTheFirst()
    {
        await TamperAsync(
            "UPDATE \"AuditEvents\" SET \"Sequence\" = -1 WHERE \"Sequence\" = 6;" +
            "UPDATE \"AuditEvents\" SET \"Sequence\" = 6 WHERE \"Sequence\" = 7;" +
            "UPDATE \"AuditEvents\" SET \"Sequence\" = 7 WHERE \"Sequence\" = -1;", expectedInvalid: 6);
    }

    [Fact]
    public async Task FlippedBitInAHash_FailsAtThatSequence()
    {
        var e = _original.Single(x => x.Sequence == 8);
        var flipped = (e.Hash[0] == '0' ? '1' : '0') + e.Hash[1..];
        await TamperAsync($"UPDATE \"AuditEvents\" SET \"Hash\" = '{flipped}' WHERE \"Sequence\" = 8", expectedInvalid: 8);
    }

    [Fact]
    public async Task InsertedRowWithAValidOwnHash_FailsAtTheRowAfterIt()
    {
        var before = _original.Single(x => x.Sequence == 2);
        await TamperAsync(async db =>
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEvents\" SET \"Sequence\" = \"Sequence\" + 100000 WHERE \"Sequence\" >= 3");
            await db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEvents\" SET \"Sequence\" = \"Sequence\" - 99999 WHERE \"Sequence\" > 100000");
            var forged = Forge(3, before.Hash);
            db.AuditEvents.Add(forged);
            await db.SaveChangesAsync();
        }, expectedInvalid: 4);
    }

    [Fact]
    public async Task TrailCutShortOfTheCheckpoint_Fails()
    {
        var last = _original[^1].Sequence;
        await TamperAsync($"DELETE FROM \"AuditEvents\" WHERE \"Sequence\" >= {last - 1}", expectedInvalid: last - 1);
    }

    [Fact]
    public async Task TrailCutShortTogetherWithItsCheckpoints_FailsAtTheLastCheckpointThePlatformSigned()
    {
        // Without the signer's own record of its last checkpoint, the cut trail would verify: every remaining checkpoint holds.
        var last = _original[^1].Sequence;
        await TamperAsync($"DELETE FROM \"AuditEvents\" WHERE \"Sequence\" >= {last - 1}; DELETE FROM \"AuditCheckpoints\" WHERE \"Sequence\" >= {last - 1}",
            expectedInvalid: last - 1);
    }

    [Fact]
    public async Task EveryCheckpointRemoved_Fails()
    {
        await TamperAsync("DELETE FROM \"AuditCheckpoints\"", expectedInvalid: _original[^1].Sequence);
    }

    [Fact]
    public async Task CheckpointNamingAKeyThePlatformNeverUsed_Fails()
    {
        var last = _checkpoints[^1];
        await TamperAsync($"UPDATE \"AuditCheckpoints\" SET \"KeyId\" = '00000000' WHERE \"Sequence\" = {last.Sequence}", expectedInvalid: last.Sequence);
    }

    [Fact]
    public async Task CheckpointResignedByAnotherKeyUnderItsOwnId_Fails()
    {
        var last = _checkpoints[^1];
        var folder = Directory.CreateTempSubdirectory("dragon-foreign-key-");
        try
        {
            using var foreign = AuditSigningKey.LoadOrCreate(Path.Combine(folder.FullName, "foreign.pem"));
            var signature = foreign.Sign(AuditCheckpointText.Body(last.Origin, last.Sequence, last.RootHash));
            await TamperAsync(
                $"UPDATE \"AuditCheckpoints\" SET \"KeyId\" = '{foreign.KeyId}', \"Signature\" = '{signature}' WHERE \"Sequence\" = {last.Sequence}",
                expectedInvalid: last.Sequence);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task IncrementalVerification_GoesOnFromTheLastVerifiedCheckpoint_AndStillCatchesARewrittenPrefix()
    {
        var full = await VerifyAsync(full: true);
        var incremental = await VerifyAsync(full: false);
        Assert.True(full.Valid && incremental.Valid);
        Assert.Equal((0L, _original[^1].Sequence), (full.VerifiedFrom, incremental.VerifiedFrom));
        Assert.Equal(0, incremental.EventsChecked);

        // A rewrite of an early event that recomputes every later hash changes the hash stored at the verified checkpoint.
        await TamperAsync(async db =>
        {
            var previous = _original.Single(x => x.Sequence == 2).Hash;
            foreach (var original in _original.Where(x => x.Sequence >= 3))
            {
                var payload = original.Sequence == 3 ? "{\"forged\":\"yes\"}" : original.Payload;
                var hash = AuditCanonicalForm.Hash(original.Sequence, original.OccurredAt, original.ActorType, original.ActorId, original.Action, original.ObjectType,
                    original.ObjectId, original.Purpose, original.LegalBasis, payload, original.PersonRef, original.PersonalData, previous);
                await db.AuditEvents.Where(e => e.Sequence == original.Sequence)
                    .ExecuteUpdateAsync(set => set.SetProperty(e => e.Payload, payload).SetProperty(e => e.PreviousHash, previous).SetProperty(e => e.Hash, hash));
                previous = hash;
            }
        }, expectedInvalid: _original[^1].Sequence, full: false);
    }

    [Fact]
    public async Task RewrittenTrail_IsNeverSignedByANewCheckpoint()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        await db.Database.ExecuteSqlRawAsync(Escape("UPDATE \"AuditEvents\" SET \"Payload\" = '{}' WHERE \"Sequence\" = 3"));
        try
        {
            var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<AuditCheckpoints>().SignLatestAsync(default));
            Assert.StartsWith("audit.chain_broken", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            await RestoreAsync();
        }
    }

    private static AuditEvent Forge(long sequence, string previous)
    {
        var occurredAt = Dragon.Platform.Common.Clock.Truncate(DateTimeOffset.UtcNow);
        var objectId = Guid.NewGuid().ToString();
        var hash = AuditCanonicalForm.Hash(sequence, occurredAt, AuditActorType.System, "forger", AuditAction.Cohort_Published,
            "Cohort", objectId, null, null, "{}", null, null, previous);
        return new AuditEvent
        {
            Sequence = sequence, OccurredAt = occurredAt, ActorType = AuditActorType.System, ActorId = "forger",
            Action = AuditAction.Cohort_Published, ObjectType = "Cohort", ObjectId = objectId, Payload = "{}",
            PreviousHash = previous, Hash = hash,
        };
    }

    private Task TamperAsync(string sql, long expectedInvalid) =>
        TamperAsync(db => db.Database.ExecuteSqlRawAsync(Escape(sql)), expectedInvalid, full: true);

    /// <summary>ExecuteSqlRaw reads braces as format placeholders.</summary>
    private static string Escape(string sql) => sql.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    private async Task TamperAsync(Func<DragonDbContext, Task> tamper, long expectedInvalid, bool full = true)
    {
        Assert.True((await VerifyAsync()).Valid);
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            await tamper(scope.ServiceProvider.GetRequiredService<DragonDbContext>());
        }
        try
        {
            var report = await VerifyAsync(full);
            Assert.False(report.Valid);
            Assert.Equal(expectedInvalid, report.FirstInvalidSequence);
        }
        finally
        {
            await RestoreAsync();
        }
        Assert.True((await VerifyAsync()).Valid);
    }

    private async Task<AuditVerifyResponse> VerifyAsync(bool full = true)
    {
        var auditor = (await fixture.Factory.Accounts.AsAsync(DragonRoles.Auditor)).Client;
        return await (await auditor.GetAsync($"/api/v1/audit/verify?full={(full ? "true" : "false")}")).ReadAsAsync<AuditVerifyResponse>(HttpStatusCode.OK);
    }

    /// <summary>Puts the original rows back; nothing else writes to this host's trail while a case runs.</summary>
    private async Task RestoreAsync()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        await db.AuditEvents.ExecuteDeleteAsync();
        await db.AuditCheckpoints.ExecuteDeleteAsync();
        db.AuditEvents.AddRange(_original.Select(Copy));
        db.AuditCheckpoints.AddRange(_checkpoints.Select(c => new AuditCheckpoint
        {
            Sequence = c.Sequence, RootHash = c.RootHash, Origin = c.Origin, SignedAt = c.SignedAt, KeyId = c.KeyId, Signature = c.Signature,
        }));
        await db.SaveChangesAsync();
        Assert.Equal(_original[^1].Sequence, (await db.AuditHeads.SingleAsync()).LastSequence);
    }

    private static AuditEvent Copy(AuditEvent e) => new()
    {
        Sequence = e.Sequence, OccurredAt = e.OccurredAt, ActorType = e.ActorType, ActorId = e.ActorId, Action = e.Action,
        ObjectType = e.ObjectType, ObjectId = e.ObjectId, Purpose = e.Purpose, LegalBasis = e.LegalBasis, Payload = e.Payload,
        PersonRef = e.PersonRef, PersonalData = e.PersonalData, PreviousHash = e.PreviousHash, Hash = e.Hash,
    };
}

[Collection(nameof(AuditTamperTests))]
public sealed class SqliteAuditTamperTests(SqliteApiFixture fixture) : AuditTamperTests(fixture), IClassFixture<SqliteApiFixture>;

[Collection(nameof(AuditTamperTests))]
public sealed class PostgresAuditTamperTests(PostgresApiFixture fixture) : AuditTamperTests(fixture), IClassFixture<PostgresApiFixture>;
