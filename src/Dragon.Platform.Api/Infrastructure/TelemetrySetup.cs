using Dragon.Platform.Jobs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>
/// OpenTelemetry traces and metrics, off unless <c>Telemetry:Enabled</c>: ASP.NET Core, HttpClient and EF Core
/// instrumentation plus the platform's own (<see cref="JobTelemetry"/>, and jobs by status: <see cref="JobStatusGauge"/>), exported over OTLP to
/// <c>Telemetry:OtlpEndpoint</c> when it is set (the standard <c>OTEL_EXPORTER_OTLP_*</c> variables apply too).
/// </summary>
public static class TelemetrySetup
{
    public static WebApplicationBuilder AddDragonTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!configuration.GetValue("Telemetry:Enabled", false))
        {
            return builder;
        }
        var endpoint = configuration["Telemetry:OtlpEndpoint"];
        builder.Services.AddHostedService<JobStatusGauge>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["Telemetry:ServiceName"] ?? "dragon-platform"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(JobTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                    .AddHttpClientInstrumentation()
                    .AddEntityFrameworkCoreInstrumentation();
                if (!string.IsNullOrWhiteSpace(endpoint))
                {
                    tracing.AddOtlpExporter(options => options.Endpoint = new Uri(endpoint));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(JobTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (!string.IsNullOrWhiteSpace(endpoint))
                {
                    metrics.AddOtlpExporter(options => options.Endpoint = new Uri(endpoint));
                }
            });
        return builder;
    }
}
