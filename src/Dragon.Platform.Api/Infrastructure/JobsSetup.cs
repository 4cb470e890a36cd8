using Dragon.Platform.BackgroundWork;
using Dragon.Platform.Persistence;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>
/// Hangfire on the same database as the platform: PostgreSQL and SQL Server storages keep jobs durably and let several
/// hosts share the work; with SQLite, jobs live in memory and the platform's own work table is re-enqueued at start-up.
/// On every host a sweep hands over work that a dead host held or Hangfire lost.
/// </summary>
public static class JobsSetup
{
    public static WebApplicationBuilder AddDragonJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Registered before AddHangfire (which only adds what is missing) so that each host has its own
        // storage and activator instead of Hangfire's process-wide statics: tests run several hosts at once.
        services.AddSingleton<JobStorage>(provider => CreateStorage(provider.GetRequiredService<DatabaseConnection>()));
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddHangfireServer((_, options) =>
        {
            options.WorkerCount = builder.Configuration.GetValue("Jobs:WorkerCount", Math.Min(Environment.ProcessorCount * 4, 16));
            options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
        });
        services.AddSingleton((builder.Configuration.GetSection(WorkOptions.Section).Get<WorkOptions>() ?? new WorkOptions()).Validated());
        services.AddScoped<WorkQueue>();
        services.AddScoped<WorkItemRunner>();
        services.AddScoped<WorkSweep>();
        services.AddHostedService<WorkSweepService>();
        return builder;
    }

    /// <summary>The dashboard at <c>/hangfire</c>, for Admins signed in on the platform's login page.</summary>
    public static WebApplication MapDragonJobs(this WebApplication app)
    {
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            AsyncAuthorization = [new AdminDashboardAuthorization()],
            DisplayStorageConnectionString = false,
        }, app.Services.GetRequiredService<JobStorage>());
        return app;
    }

    public static async Task RecoverDragonWorkAsync(this WebApplication app)
    {
        if (app.Services.GetRequiredService<DatabaseConnection>().Provider != DatabaseProvider.Sqlite)
        {
            return;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var requeued = await WorkRecovery.RequeueUnfinishedAsync(
            scope.ServiceProvider.GetRequiredService<DragonDbContext>(),
            scope.ServiceProvider.GetRequiredService<WorkSweep>(),
            app.Lifetime.ApplicationStopping);
        if (requeued > 0)
        {
            app.Logger.LogInformation("Re-enqueued {Count} unfinished work items after start-up", requeued);
        }
    }

    private static JobStorage CreateStorage(DatabaseConnection connection) => connection.Provider switch
    {
        DatabaseProvider.PostgreSql => new PostgreSqlStorage(
            new NpgsqlConnectionFactory(connection.ConnectionString, new PostgreSqlStorageOptions()),
            new PostgreSqlStorageOptions
            {
                QueuePollInterval = TimeSpan.FromSeconds(1),
                PrepareSchemaIfNecessary = true,
            }),
        DatabaseProvider.SqlServer => new SqlServerStorage(connection.ConnectionString, new SqlServerStorageOptions
        {
            QueuePollInterval = TimeSpan.Zero,
            SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
            UseRecommendedIsolationLevel = true,
            DisableGlobalLocks = true,
            PrepareSchemaIfNecessary = true,
        }),
        _ => new InMemoryStorage(new InMemoryStorageOptions()),
    };
}
