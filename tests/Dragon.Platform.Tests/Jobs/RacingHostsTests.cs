using Dragon.Contracts.Jobs;
using Dragon.Platform.Audit;
using Dragon.Platform.BackgroundWork;
using Dragon.Platform.Jobs;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>
/// Two platform hosts on one PostgreSQL database run every background step of a job at the same moment: its start and
/// its release through the work runner (both try to claim the same item), its aggregation by calling the step's
/// handler on both directly (two deliveries past the claim, as a lease run out under a slow host can give). Each step
/// moves the job once, with one audit event, and the job releases the plain count.
/// </summary>
public sealed class RacingHostsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoHostsRunningEachStepAtOnce_MoveTheJobOncePerStep_AndReleaseOnce()
    {
        var first = DragonApiFactory.Create(DatabaseProvider.PostgreSql, DragonApiFactory.WithoutBackgroundWork);
        try
        {
            var s = await JobScenario.CreateAsync(first);
            using var second = first.Restart();
            var job = await s.SubmitAsync(new AggregationSpec("count"));

            await RaceAsync(first, second, job.Id, JobEngine.StartWork, throughRunner: true);
            await s.ContributeAllAsync(job.Id, [2], [3], [4]);
            await RaceAsync(first, second, job.Id, JobEngine.AggregateWork, throughRunner: false);
            foreach (var node in s.Nodes)
            {
                (await s.ShareAsync(node, job.Id)).EnsureSuccessStatusCode();
            }
            await RaceAsync(first, second, job.Id, JobEngine.ReleaseWork, throughRunner: true);

            var released = await s.WaitForStatusAsync(job.Id, "released");
            Assert.Equal(9, released.Result!.Cells.Single().Value);
            foreach (var action in new[] { AuditAction.Job_Committing, AuditAction.Job_Collecting, AuditAction.Job_Aggregated, AuditAction.Job_Released })
            {
                Assert.True(await first.AuditEventCountAsync(job.Id, action) == 1, $"{action} is in the trail {await first.AuditEventCountAsync(job.Id, action)} times.");
            }
        }
        finally
        {
            first.Dispose();
        }
    }

    /// <summary>Runs the job's queued step of <paramref name="kind"/> on both hosts at once; a host that loses may throw, the step must happen.</summary>
    private async Task RaceAsync(DragonApiFactory first, DragonApiFactory second, Guid jobId, string kind, bool throughRunner)
    {
        WorkItem item;
        await using (var scope = first.Services.CreateAsyncScope())
        {
            item = await scope.ServiceProvider.GetRequiredService<DragonDbContext>().WorkItems.AsNoTracking().SingleAsync(w => w.Kind == kind && w.Payload == jobId.ToString());
        }
        using var start = new Barrier(2);
        var runs = new[] { first, second }.Select(host => Task.Run(async () =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            var runner = scope.ServiceProvider.GetRequiredService<WorkItemRunner>();
            var handler = scope.ServiceProvider.GetServices<IWorkHandler>().Single(h => h.Kind == kind);
            start.SignalAndWait();
            if (throughRunner)
            {
                await runner.RunAsync(item.Id, CancellationToken.None);
            }
            else
            {
                await handler.RunAsync(item.Payload, CancellationToken.None);
            }
        })).ToList();
        try
        {
            await Task.WhenAll(runs);
        }
        catch (Exception)
        {
            Assert.True(runs.Count(r => r.IsCompletedSuccessfully) == 1, $"{kind}: neither host's run succeeded.");
            output.WriteLine($"{kind}: the losing host threw {runs.Single(r => r.IsFaulted).Exception!.InnerException!.GetType().Name}");
        }
    }

}
