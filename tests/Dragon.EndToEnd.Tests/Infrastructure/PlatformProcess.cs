using System.Net;
using System.Net.Sockets;
using Dragon.Platform.Api.Demo;

namespace Dragon.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The platform host as its own process on a loopback port, with its database, its audit key and its settings;
/// it can be killed and started again on the same database, as after a crash.
/// </summary>
public sealed class PlatformProcess : IDisposable
{
    public const string AdminEmail = "admin@e2e.dragon.test";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Dictionary<string, string> _environment;
    private ChildProcess? _process;

    public PlatformProcess(EndToEndDatabase database, string folder, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        Address = new Uri($"http://127.0.0.1:{FreePort()}/");
        AdminPassword = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        _environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["Security__AllowPlainHttpOutsideDevelopment"] = "true",
            ["Identity__AllowPasswordGrant"] = "true",
            ["ASPNETCORE_URLS"] = Address.ToString().TrimEnd('/'),
            ["Database__Provider"] = database.Provider,
            ["ConnectionStrings__Dragon"] = database.ConnectionString,
            ["Bootstrap__AdminEmail"] = AdminEmail,
            ["Bootstrap__AdminPassword"] = AdminPassword,
            ["Audit__SigningKeyPath"] = Path.Combine(folder, "audit-signing-key.pem"),
            ["RateLimits__AuthPermitsPerMinute"] = "100000",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            _environment[name] = value;
        }
    }

    private PlatformProcess(PlatformProcess first)
    {
        Address = new Uri($"http://127.0.0.1:{FreePort()}/");
        AdminPassword = first.AdminPassword;
        _environment = new Dictionary<string, string>(first._environment) { ["ASPNETCORE_URLS"] = Address.ToString().TrimEnd('/') };
    }

    public Uri Address { get; }

    public string AdminPassword { get; }

    public string Output => _process?.Output ?? "";

    public async Task StartAsync()
    {
        _process?.Dispose();
        _process = ChildProcess.Start(BuildOutput.PlatformHost, [], _environment, Path.GetDirectoryName(BuildOutput.PlatformHost)!);
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The platform exited while starting:\n{_process.Output}");
            }
            try
            {
                using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The platform was not ready within {StartTimeout.TotalSeconds} s:\n{_process.Output}");
    }

    /// <summary>A second host of the same platform: same database, keys and settings, its own port.</summary>
    public PlatformProcess Twin() => new(this);

    /// <summary>Ends the host at once, mid-whatever it was doing.</summary>
    public void Kill() => _process?.Kill();

    public Task<PlatformUser> AdminAsync(CancellationToken cancellationToken) =>
        PlatformUser.SignInAsync(Address, AdminEmail, AdminPassword, cancellationToken);

    public void Dispose() => _process?.Dispose();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
