using System.Text.Json;
using Dragon.Platform.Persistence;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (database and job storage answer).</summary>
public static class HealthSetup
{
    private const string Ready = "ready";

    public static WebApplicationBuilder AddDragonHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<DragonDbContext>("database", tags: [Ready])
            .AddCheck<JobStorageHealthCheck>("jobs", tags: [Ready]);
        return builder;
    }

    public static WebApplication MapDragonHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithTags("Health").ExcludeFromDescription().AllowAnyone();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync })
            .WithTags("Health").ExcludeFromDescription().AllowAnyone();
        return app;
    }

    /// <summary>Each check's name and status; never exception messages, which can carry connection details.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(entry => new { name = entry.Key, status = entry.Value.Status.ToString() }),
        }));
    }

    private sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var connection = storage.GetConnection();
                connection.GetAllItemsFromSet("recurring-jobs");
                return Task.FromResult(HealthCheckResult.Healthy());
            }
#pragma warning disable CA1031 // Any failure of the storage means "not ready"; the check reports it instead of throwing.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("The job storage is unreachable.", exception));
            }
        }
    }
}
