using System.Diagnostics.Metrics;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dragon.Platform.Jobs;

/// <summary>
/// The metric <c>dragon.jobs</c>: how many jobs the database holds in each status, tagged <c>status</c>. It is observed
/// only when metrics are collected (one grouped count per collection, on the jobs' status index), and its meter belongs
/// to this host, so it goes away with it.
/// </summary>
public sealed class JobStatusGauge(IMeterFactory meters, IServiceScopeFactory scopes) : IHostedService
{
    public const string Name = "dragon.jobs";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        meters.Create(JobTelemetry.SourceName).CreateObservableGauge(Name, Observe, "{job}", "Jobs in the database by status.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<long>> Observe()
    {
        using var scope = scopes.CreateScope();
        var counts = scope.ServiceProvider.GetRequiredService<DragonDbContext>().Jobs
            .GroupBy(j => j.Status).Select(g => new { Status = g.Key, Count = g.LongCount() }).ToDictionary(c => c.Status, c => c.Count);
        return [.. Enum.GetValues<JobStatus>().Select(status =>
            new Measurement<long>(counts.GetValueOrDefault(status), new KeyValuePair<string, object?>("status", status.ToString().ToLowerInvariant())))];
    }
}
