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

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task WorkHeldByAHostThatDied_RunsOnAnotherHostOnceItsLeaseRunsOut(DatabaseProvider provider)
    {
        var log = new WorkLog();
        using var factory = DragonApiFactory.Create(provider, services => Register(services, log), FastSweep);
        try
        {
            _ = factory.Server;
            // As a host leaves a row when it dies mid-step: claimed, its lease still running, never renewed again.
            var held = await AddAsync(factory, new WorkItem
            {
                Id = Guid.NewGuid(), Kind = RecordingHandler.KindName, Payload = "held", State = WorkItemState.Running,
                Attempts = 1, LeaseUntil = DateTimeOffset.UtcNow.AddSeconds(2), CreatedAt = DateTimeOffset.UtcNow, DispatchedAt = DateTimeOffset.UtcNow,
            });

            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Empty(log.Payloads);
            var item = await WaitForAsync(factory, held, WorkItemState.Succeeded);

            Assert.Equal(["held"], log.Payloads);
            Assert.Equal(2, item.Attempts);
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }

    [Fact]
    public async Task PendingWorkThatHangfireLost_IsHandedOverAgainAfterTheGrace()
    {
        var log = new WorkLog();
        using var factory = DragonApiFactory.Create(DatabaseProvider.PostgreSql, services => Register(services, log), FastSweep);
        try
        {
            _ = factory.Server;
            // Committed and handed to a host that fetched it from Hangfire's queue and died before claiming it.
            var lost = await AddAsync(factory, new WorkItem
            {
                Id = Guid.NewGuid(), Kind = RecordingHandler.KindName, Payload = "lost", State = WorkItemState.Pending,
                CreatedAt = DateTimeOffset.UtcNow, DispatchedAt = DateTimeOffset.UtcNow,
            });

            var item = await WaitForAsync(factory, lost, WorkItemState.Succeeded);

            Assert.Equal(["lost"], log.Payloads);
            Assert.Equal(1, item.Attempts);
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }

    [Fact]
    public async Task FailedWork_IsRetriedByTheSweep_AndSucceedsOnce()
    {
        var log = new WorkLog { FailNext = true };
        using var factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, services => Register(services, log), FastSweep);
        try
        {
            _ = factory.Server;
            Guid id;
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                id = scope.ServiceProvider.GetRequiredService<WorkQueue>().Add(RecordingHandler.KindName, "second time").Id;
                await scope.ServiceProvider.GetRequiredService<DragonDbContext>().SaveChangesAsync();
            }

            var item = await WaitForAsync(factory, id, WorkItemState.Succeeded);

            Assert.Equal(["second time"], log.Payloads);
            Assert.Equal(2, item.Attempts);
            Assert.Equal(typeof(InvalidOperationException).FullName, item.LastError);
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }

    [Fact]
    public async Task AStepLongerThanItsLease_KeepsItsClaim_AndRunsOnce()
    {
        // Renewed every second, a lease of three survives a renewal delayed by two on a loaded machine; the step outlasts it twice.
        var log = new WorkLog { Duration = TimeSpan.FromSeconds(7) };
        using var factory = DragonApiFactory.Create(DatabaseProvider.PostgreSql, services => Register(services, log),
            new Dictionary<string, string>(FastSweep) { ["Jobs:WorkLease"] = "00:00:03" });
        try
        {
            _ = factory.Server;
            Guid id;
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                id = scope.ServiceProvider.GetRequiredService<WorkQueue>().Add(RecordingHandler.KindName, "long").Id;
                await scope.ServiceProvider.GetRequiredService<DragonDbContext>().SaveChangesAsync();
            }

            var item = await WaitForAsync(factory, id, WorkItemState.Succeeded);

            Assert.Equal(1, log.Started);
            Assert.Equal(1, item.Attempts);
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }

    [Fact]
    public void RetryDelay_DoublesWithEachFailure_UpToItsCap()
    {
        var options = new WorkOptions { PendingGrace = TimeSpan.FromMinutes(1), MaxRetryDelay = TimeSpan.FromMinutes(10) };
        var failedAt = DateTimeOffset.UnixEpoch;

        Assert.Equal(TimeSpan.FromMinutes(1), options.DueAgainAt(failedAt, attempts: 0) - failedAt);
        Assert.Equal(TimeSpan.FromMinutes(1), options.DueAgainAt(failedAt, attempts: 1) - failedAt);
        Assert.Equal(TimeSpan.FromMinutes(4), options.DueAgainAt(failedAt, attempts: 3) - failedAt);
        Assert.Equal(TimeSpan.FromMinutes(10), options.DueAgainAt(failedAt, attempts: 30) - failedAt);
    }

    [Fact]
    public async Task TwoHostsSweepingAtOnce_HandEachItemOverOnce()
    {
        using var factory = DragonApiFactory.Create(DatabaseProvider.PostgreSql, settings: new Dictionary<string, string> { ["Jobs:SweepInterval"] = "01:00:00" });
        try
        {
            _ = factory.Server;
            var stale = DateTimeOffset.UtcNow.AddHours(-1);
            for (var i = 0; i < 20; i++)
            {
                await AddAsync(factory, new WorkItem
                {
                    Id = Guid.NewGuid(), Kind = "test.nobody", Payload = "", State = i % 2 == 0 ? WorkItemState.Pending : WorkItemState.Running,
                    LeaseUntil = i % 2 == 0 ? null : stale, CreatedAt = stale, DispatchedAt = stale, Attempts = i % 2,
                });
            }
            var handedOver = new RecordingJobClient();
            var options = new WorkOptions();

            await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                await using var scope = factory.Services.CreateAsyncScope();
                var sweep = new WorkSweep(scope.ServiceProvider.GetRequiredService<DragonDbContext>(), handedOver, options, TimeProvider.System,
                    Microsoft.Extensions.Logging.Abstractions.NullLogger<WorkSweep>.Instance);
                await sweep.RunAsync(CancellationToken.None);
            }));

            Assert.Equal(20, handedOver.Arguments.Count);
            Assert.Equal(20, handedOver.Arguments.Distinct().Count());
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }

    private static readonly Dictionary<string, string> FastSweep = new()
    {
        ["Jobs:WorkLease"] = "00:00:01",
        ["Jobs:SweepInterval"] = "00:00:00.2",
        ["Jobs:PendingGrace"] = "00:00:01",
    };

    private static async Task<Guid> AddAsync(DragonApiFactory factory, WorkItem item)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        db.WorkItems.Add(item);
        await db.SaveChangesAsync();
        return item.Id;
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
        public TimeSpan Duration { get; init; }
        public int Started => _started;
        public IReadOnlyList<string> Payloads => [.. Done];
        private int _started;

        public void Start() => Interlocked.Increment(ref _started);
    }

    private sealed class RecordingHandler(WorkLog log) : IWorkHandler
    {
        public const string KindName = "test.recording";

        public string Kind => KindName;

        public async Task RunAsync(string payload, CancellationToken cancellationToken)
        {
            log.Start();
            if (log.FailNext)
            {
                log.FailNext = false;
                throw new InvalidOperationException("planned failure");
            }
            await Task.Delay(log.Duration, cancellationToken);
            log.Done.Enqueue(payload);
        }
    }

    /// <summary>Records what the sweep hands to Hangfire instead of running it.</summary>
    private sealed class RecordingJobClient : Hangfire.IBackgroundJobClient
    {
        public ConcurrentBag<object?> Arguments { get; } = [];

        public string Create(Hangfire.Common.Job job, Hangfire.States.IState state)
        {
            Arguments.Add(job.Args[0]);
            return Guid.NewGuid().ToString();
        }

        public bool ChangeState(string jobId, Hangfire.States.IState state, string expectedState) => true;
    }
}
