using System.Net;

namespace Dragon.Node.Tests.Infrastructure;

/// <summary>A platform stand-in that accepts every request with 204 and keeps each one's path and body.</summary>
public sealed class RecordingHandler : HttpMessageHandler
{
    private readonly List<(string Path, string Body)> _requests = [];

    public IReadOnlyList<(string Path, string Body)> Requests => _requests;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (_requests)
        {
            _requests.Add((request.RequestUri!.AbsolutePath, body));
        }
        return new HttpResponseMessage(HttpStatusCode.NoContent);
    }
}
