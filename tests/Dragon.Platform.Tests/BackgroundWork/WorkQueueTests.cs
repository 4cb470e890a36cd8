using System.Collections.Concurrent;
using Dragon.Platform.BackgroundWork;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.BackgroundWork;

public sealed class WorkQueueTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AddedWork_RunsOnceThroughHangfireAndIsMarkedSucceeded(DatabaseProvider provider)
    {
        var log = new WorkLog();
        using var factory = DragonApiFactory.Create(provider, services => Register(services, log));
        try
        {
            _ = factory.Server;
            Guid id;
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                var queue = scope.ServiceProvider.GetRequiredService<WorkQueue>();
                id = queue.Add(RecordingHandler.KindName, "first").Id;
                await scope.ServiceProvider.GetRequiredService<DragonDbContext>().SaveChangesAsync();
            }

            var item = await WaitForAsync(factory, id, WorkItemState.Succeeded);

            Assert.Equal(["first"], log.Payloads);
            Assert.Equal(1, item.Attempts);
            Assert.NotNull(item.CompletedAt);
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }

    [Fact]
    public async Task WorkInterruptedByARestart_RunsWhenTheSqliteHostStartsAgain()
    {
        var log = new WorkLog();
        var first = DragonApiFactory.Create(DatabaseProvider.Sqlite);
        var interrupted = Guid.NewGuid();
        var pending = Guid.NewGuid();
        using (first)
        {
            await using var scope = first.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
            // Rows as a crash leaves them: one claimed by a worker that died, one never handed to Hangfire.
            db.WorkItems.Add(new WorkItem
            {
                Id = interrupted, Kind = RecordingHandler.KindName, Payload = "interrupted",
                State = WorkItemState.Running, Attempts = 1, LeaseUntil = DateTimeOffset.UtcNow.AddHours(1),
                CreatedAt = DateTimeOffset.UtcNow,
            });
            db.WorkItems.Add(new WorkItem
            {
                Id = pending, Kind = RecordingHandler.KindName, Payload = "pending",
                State = WorkItemState.Pending, CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        using var second = first.Restart(services => Register(services, log));
        try
        {
            _ = second.Server;
            await WaitForAsync(second, interrupted, WorkItemState.Succeeded);
            await WaitForAsync(second, pending, WorkItemState.Succeeded);

            Assert.Equal(["interrupted", "pending"], log.Payloads.Order());
        }
        finally
        {
            second.Dispose();
            second.DropDatabase();
        }
    }

    [Fact]
    public async Task FailingWork_StaysPendingWithTheErrorType()
    {
        var log = new WorkLog { FailNext = true };
        using var factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, services => Register(services, log));
        try
        {
            _ = factory.Server;
            Guid id;
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                id = scope.ServiceProvider.GetRequiredService<WorkQueue>().Add(RecordingHandler.KindName, "fails").Id;
                await scope.ServiceProvider.GetRequiredService<DragonDbContext>().SaveChangesAsync();
            }

            var item = await WaitForAsync(factory, id, WorkItemState.Pending, requireError: true);

            Assert.Equal(typeof(InvalidOperationException).FullName, item.LastError);
            Assert.Null(item.LeaseUntil);
            Assert.Empty(log.Payloads);
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }

    private static void Register(IServiceCollection services, WorkLog log)
    {
        services.AddSingleton(log);
        services.AddScoped<IWorkHandler, RecordingHandler>();
    }

    private static async Task<WorkItem> WaitForAsync(DragonApiFactory factory, Guid id, WorkItemState state, bool requireError = false)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var item = await scope.ServiceProvider.GetRequiredService<DragonDbContext>().WorkItems.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id);
            if (item is not null && item.State == state && (!requireError || item.LastError is not null))
            {
                return item;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Work item {id} did not reach {state}; it is {item?.State}.");
            await Task.Delay(100);
        }
    }

    private sealed class WorkLog
    {
        public ConcurrentQueue<string> Done { get; } = new();
        public bool FailNext { get; set; }
        public IReadOnlyList<string> Payloads => [.. Done];
    }

    private sealed class RecordingHandler(WorkLog log) : IWorkHandler
    {
        public const string KindName = "test.recording";

        public string Kind => KindName;

        public Task RunAsync(string payload, CancellationToken cancellationToken)
        {
            if (log.FailNext)
            {
                throw new InvalidOperationException("planned failure");
            }
            log.Done.Enqueue(payload);
            return Task.CompletedTask;
        }
    }
}
