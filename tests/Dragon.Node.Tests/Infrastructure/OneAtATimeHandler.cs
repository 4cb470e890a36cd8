namespace Dragon.Node.Tests.Infrastructure;

/// <summary>
/// Lets the in-process agents' requests reach the platform one at a time: concurrent last uploads to the same key
/// set or job can each miss the other's and leave it waiting, so the tests keep the nodes' uploads apart.
/// </summary>
public sealed class OneAtATimeHandler(HttpMessageHandler inner, SemaphoreSlim gate) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response;
        }
        finally
        {
            gate.Release();
        }
    }
}
