using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Dragon.Node.Cli;
using Dragon.Node.Platform;

namespace Dragon.Node.Agent;

/// <summary>
/// Listens on the platform's push channel and wakes the agent loop whenever the node's work changes. It reconnects
/// with exponential backoff (1 s doubling to 30 s, reset by a successful connection) and gives up only on a platform
/// that has no push channel (404), leaving the poll alone. A refused token is renewed by the loop's next round, which
/// owns the session's token; the channel only waits and reconnects.
/// </summary>
public sealed class TaskPush(NodeSession session, NodeConsole console)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(30);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Completes when an event said there is work (true), or when <paramref name="timeout"/> passes (false).</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            return await _wake.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed: the loop polls as it always did.
            return false;
        }
    }

    public async Task ListenAsync(CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var kind in session.Platform.TaskEventsAsync(cancellationToken))
                {
                    backoff = FirstBackoff;
                    if (kind == "tasks")
                    {
                        _wake.Writer.TryWrite(true);
                    }
                }
                // The platform ended the stream, as it does every few minutes: reconnect at once. A reconnection's first
                // event wakes the loop if work came in meanwhile.
                continue;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (PlatformException exception) when (exception.Status == HttpStatusCode.NotFound)
            {
                await LogAsync("push channel: the platform has none; polling only.");
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or PlatformException or OperationCanceledException or InvalidOperationException)
            {
                await LogAsync($"push channel: {exception.Message}; reconnecting in {backoff.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
            }
            try
            {
                await Task.Delay(backoff, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
        }
    }

    private Task LogAsync(string message) =>
        console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:O} {message}"));
}
