using Dragon.Platform.BackgroundWork;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>Runs <see cref="WorkSweep"/> on this host every <see cref="WorkOptions.SweepInterval"/>, independent of Hangfire's own workers.</summary>
internal sealed class WorkSweepService(IServiceScopeFactory scopes, WorkOptions options, TimeProvider time, ILogger<WorkSweepService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<WorkSweep>().RunAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning("The work sweep failed and runs again in {Interval}: {Error}", options.SweepInterval, exception.GetType().Name);
            }
        }
    }
}
