using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dragon.Node.Agent;

/// <summary>
/// The agent's traces: a span per round and per task (tagged with the job or key set), and its calls to the platform.
/// Exported over OTLP only when <c>DRAGON_NODE_OTLP_ENDPOINT</c> names a collector; otherwise nothing is recorded.
/// </summary>
public static class AgentTelemetry
{
    public const string SourceName = "Dragon.Node";
    public const string EndpointVariable = "DRAGON_NODE_OTLP_ENDPOINT";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The tracer that exports the agent's spans, or null when no collector is configured.</summary>
    public static TracerProvider? Start(Func<string, string?> environment, Guid nodeId)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(EndpointVariable) is not { Length: > 0 } endpoint)
        {
            return null;
        }
        return Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(resource => resource.AddService("dragon-node", serviceInstanceId: nodeId.ToString()))
            .AddSource(SourceName)
            .AddHttpClientInstrumentation()
            .AddOtlpExporter(options => options.Endpoint = new Uri(endpoint))
            .Build();
    }
}
