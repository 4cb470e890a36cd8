using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Dragon.Node.Tests.Infrastructure;

/// <summary>Counts an agent's calls to the platform by method and route (ids replaced by <c>{id}</c>).</summary>
public sealed partial class CallCounter
{
    private readonly ConcurrentDictionary<string, int> _calls = new();

    /// <summary>A handler that counts each request, then sends it on through <paramref name="inner"/>.</summary>
    public HttpMessageHandler Over(HttpMessageHandler inner) => new Counting(this, inner);

    public Dictionary<string, int> Snapshot() => new(_calls);

    /// <summary>The calls made since <paramref name="before"/> was taken.</summary>
    public Dictionary<string, int> Since(Dictionary<string, int> before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return Snapshot().ToDictionary(c => c.Key, c => c.Value - before.GetValueOrDefault(c.Key));
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")]
    private static partial Regex Ids();

    private sealed class Counting(CallCounter counter, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counter._calls.AddOrUpdate($"{request.Method} {Ids().Replace(request.RequestUri!.AbsolutePath, "{id}")}", 1, (_, n) => n + 1);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
