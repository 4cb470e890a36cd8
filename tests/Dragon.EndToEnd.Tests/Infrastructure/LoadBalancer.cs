using System.Net;
using System.Net.Sockets;

namespace Dragon.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A TCP load balancer on loopback, as an operator puts in front of several platform hosts: each new connection goes to
/// the next host that accepts one, so clients keep working through one address while a host is down. Bytes pass
/// unchanged (the Host header names the balancer, as the tokens' issuer does).
/// </summary>
public sealed class LoadBalancer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<Uri> _hosts;
    private readonly CancellationTokenSource _stop = new();
    private int _next;

    public LoadBalancer(IReadOnlyList<Uri> hosts)
    {
        _hosts = hosts;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = AcceptAsync();
    }

    public Uri Address { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        using (var host = await ConnectToALiveHostAsync())
        {
            if (host is null)
            {
                return;
            }
            var fromClient = client.GetStream();
            var fromHost = host.GetStream();
            // Either side ending ends both, so a client on a killed host sees its connection close and opens a new one.
            await Task.WhenAny(CopyAsync(fromClient, fromHost), CopyAsync(fromHost, fromClient));
        }
    }

    private async Task<TcpClient?> ConnectToALiveHostAsync()
    {
        for (var tried = 0; tried < _hosts.Count; tried++)
        {
            var host = _hosts[(int)((uint)Interlocked.Increment(ref _next) % _hosts.Count)];
            var connection = new TcpClient();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await connection.ConnectAsync(host.Host, host.Port, timeout.Token);
                return connection;
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException)
            {
                connection.Dispose();
            }
        }
        return null;
    }

    private async Task CopyAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
