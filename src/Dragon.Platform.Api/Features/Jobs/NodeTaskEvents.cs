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
/// <c>tasks</c> (data: how many) as soon as the node has new work (a task appears or moves to its next step; not when
/// one goes away), instead of at the agent's next poll, which stays as
/// the safety net. The stream reads a fingerprint of the node's work from the database whenever this host commits a
/// change to jobs or key sets (<see cref="JobChangeSignal"/>), and every <see cref="NodePushOptions.CheckInterval"/> in
/// any case, so a change made by another platform host reaches it within that interval. A stream ends after
/// <see cref="NodePushOptions.StreamLifetime"/> (the agent reconnects, with a fresh token if needed).
/// </summary>
public static class NodeTaskEvents
{
    public const string TasksEvent = "tasks";
    public const string KeepAliveEvent = "ping";

    public static IEndpointRouteBuilder MapNodeTaskEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/nodes/me/events", Stream).WithTags("Partner nodes").WithName("NodeTaskEvents")
            .WithSummary("Server-sent events for the calling node: 'tasks' whenever it has new work (and at once when it has some), 'ping' to keep the connection.")
            .RequirePermission(Permissions.NodesSelf);
        return app;
    }

    public static ServerSentEventsResult<string> Stream(
        NodeTaskWatch watch, JobChangeSignal changes, NodePushOptions options, TimeProvider time, IHostApplicationLifetime lifetime,
        ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(EventsAsync(watch, changes, options, time, user.Id(), lifetime.ApplicationStopping, cancellationToken));

    private static async IAsyncEnumerable<SseItem<string>> EventsAsync(
        NodeTaskWatch watch, JobChangeSignal changes, NodePushOptions options, TimeProvider time, Guid nodeId, CancellationToken stopping,
        [EnumeratorCancellation] CancellationToken aborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, aborted);
        var cancellationToken = linked.Token;
        var end = time.GetUtcNow() + options.StreamLifetime;
        var lastSent = time.GetUtcNow();
        NodeTaskFingerprint? last = null;
        while (time.GetUtcNow() < end && !cancellationToken.IsCancellationRequested)
        {
            var changed = changes.Next;
            NodeTaskFingerprint fingerprint;
            try
            {
                fingerprint = await watch.FingerprintAsync(nodeId, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            if (fingerprint.HasNewWorkSince(last))
            {
                yield return new SseItem<string>(fingerprint.Tasks.ToString(CultureInfo.InvariantCulture), TasksEvent);
                lastSent = time.GetUtcNow();
            }
            else if (last is null || time.GetUtcNow() - lastSent >= options.KeepAlive)
            {
                // At once on connecting too: the response starts with its first event, and the agent knows it listens.
                yield return new SseItem<string>("", KeepAliveEvent);
                lastSent = time.GetUtcNow();
            }
            last = fingerprint;
            var keepAliveDue = lastSent + options.KeepAlive - time.GetUtcNow();
            var wait = Min(options.CheckInterval, Min(keepAliveDue, end - time.GetUtcNow()));
            if (!await WaitAsync(changed, wait < TimeSpan.Zero ? TimeSpan.Zero : wait, time, cancellationToken))
            {
                yield break;
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Until this host commits a change to jobs or key sets, or <paramref name="interval"/> passes; false once the stream is cancelled.</summary>
    private static async Task<bool> WaitAsync(Task changed, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await changed.WaitAsync(interval, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
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

    /// <summary>
    /// How often a stream looks for a change in its node's work besides the changes this host commits (which wake it at
    /// once): the delay for changes made on another host. One indexed query per connected node each time.
    /// </summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An event at least this often, so proxies keep the connection and the agent knows it is alive.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A stream ends after this long; the agent reconnects. Shorter than an access token lives.</summary>
    public TimeSpan StreamLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
