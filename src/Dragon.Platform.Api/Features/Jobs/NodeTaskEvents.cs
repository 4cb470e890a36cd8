using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Identity;
using Dragon.Platform.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dragon.Platform.Api.Features.Jobs;

/// <summary>
/// The push channel: a server-sent event stream on the node's own authenticated connection. The stream sends
/// <c>tasks</c> (data: how many) as soon as the node's work changes, so an agent learns of a task within
/// <see cref="NodePushOptions.CheckInterval"/> instead of at its next poll, which stays as the safety net. It checks the
/// database, not an in-memory signal, so a change made by any platform host reaches nodes connected to any other. A
/// stream ends after <see cref="NodePushOptions.StreamLifetime"/> (the agent reconnects, with a fresh token if needed).
/// </summary>
public static class NodeTaskEvents
{
    public const string TasksEvent = "tasks";
    public const string KeepAliveEvent = "ping";

    public static IEndpointRouteBuilder MapNodeTaskEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/nodes/me/events", Stream).WithTags("Partner nodes").WithName("NodeTaskEvents")
            .WithSummary("Server-sent events for the calling node: 'tasks' whenever its work changes (and at once when it has some), 'ping' to keep the connection.")
            .RequirePermission(Permissions.NodesSelf);
        return app;
    }

    public static ServerSentEventsResult<string> Stream(
        NodeTaskWatch watch, NodePushOptions options, TimeProvider time, IHostApplicationLifetime lifetime, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(EventsAsync(watch, options, time, user.Id(), lifetime.ApplicationStopping, cancellationToken));

    private static async IAsyncEnumerable<SseItem<string>> EventsAsync(
        NodeTaskWatch watch, NodePushOptions options, TimeProvider time, Guid nodeId, CancellationToken stopping, [EnumeratorCancellation] CancellationToken aborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, aborted);
        var cancellationToken = linked.Token;
        var end = time.GetUtcNow() + options.StreamLifetime;
        var lastSent = time.GetUtcNow();
        string? last = null;
        while (time.GetUtcNow() < end && !cancellationToken.IsCancellationRequested)
        {
            NodeTaskFingerprint fingerprint;
            try
            {
                fingerprint = await watch.FingerprintAsync(nodeId, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            if (fingerprint.Value != last && (last is not null || fingerprint.Tasks > 0))
            {
                yield return new SseItem<string>(fingerprint.Tasks.ToString(CultureInfo.InvariantCulture), TasksEvent);
                lastSent = time.GetUtcNow();
            }
            else if (time.GetUtcNow() - lastSent >= options.KeepAlive)
            {
                yield return new SseItem<string>("", KeepAliveEvent);
                lastSent = time.GetUtcNow();
            }
            last = fingerprint.Value;
            if (!await DelayAsync(options.CheckInterval, time, cancellationToken))
            {
                yield break;
            }
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>The <c>NodePush</c> configuration section.</summary>
public sealed class NodePushOptions
{
    public const string Section = "NodePush";

    /// <summary>How often a stream looks for a change in its node's work: one indexed query per connected node each time.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>An event at least this often, so proxies keep the connection and the agent knows it is alive.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A stream ends after this long; the agent reconnects. Shorter than an access token lives.</summary>
    public TimeSpan StreamLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
