using Dragon.Platform.Audit;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Audit;

/// <summary>A checkpoint is signed once the trail has grown by <c>Audit:CheckpointEveryEvents</c>, not only on the schedule.</summary>
public sealed class CheckpointEveryEventsTests
{
    [Fact]
    public async Task TrailGrowingPastTheEventCount_GetsACheckpoint_WithoutWaitingForTheSchedule()
    {
        using var factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, settings: new Dictionary<string, string>
        {
            ["Audit:CheckpointEveryEvents"] = "5",
            // Once a year: any checkpoint within the test comes from the event count.
            ["Audit:CheckpointSchedule"] = "0 0 1 1 *",
        });
        try
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
            var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
            var head = await db.AuditHeads.AsNoTracking().SingleAsync();
            var target = ((head.LastSequence / 5) + 1) * 5;
            while ((await db.AuditHeads.AsNoTracking().SingleAsync()).LastSequence < target)
            {
                await trail.SaveChangesAsync(new AuditEntry(AuditActor.System, AuditAction.Retention_Applied, "CheckpointTest", Guid.NewGuid().ToString()), default);
            }

            var deadline = DateTime.UtcNow.AddSeconds(60);
            AuditCheckpoint? signed = null;
            while (DateTime.UtcNow < deadline)
            {
                signed = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence).FirstOrDefaultAsync();
                if (signed?.Sequence >= target)
                {
                    break;
                }
                await Task.Delay(250);
            }

            Assert.NotNull(signed);
            Assert.True(signed.Sequence >= target, $"The latest checkpoint is at {signed.Sequence}; the trail passed {target}.");
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }
}
