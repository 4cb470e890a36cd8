using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Dragon.Benchmarks.JobWallTime;

/// <summary>
/// The platform host as its own process, started from <c>src/Dragon.Platform.Api</c>'s build output (the same
/// configuration as this benchmark) on a loopback port, as the end-to-end tests start it: Testing environment, a
/// fresh SQLite database (or PostgreSQL one, <see cref="BenchmarkDatabase"/>) and audit key in <paramref name="folder"/>, a bootstrap Admin, a high sign-in rate limit,
/// Serilog at Warning, and the shipped policies with a larger privacy budget (see <see cref="PrivacyBudget"/>).
/// </summary>
public sealed class PlatformHost : IDisposable
{
    public const string AdminEmail = "admin@bench.dragon.test";

    /// <summary>
    /// Every agreement's budget in the benchmark's copy of <c>policies/</c>: at the shipped 0.02 per release it
    /// admits 50,000 releases instead of 50, so no iteration count runs out. The budget only gates admission; a
    /// release costs the same work whatever is left.
    /// </summary>
    public const double PrivacyBudget = 1000.0;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private readonly string? _postgres;

    private PlatformHost(Process process, Uri address, string adminPassword, string? postgres)
    {
        _process = process;
        Address = address;
        AdminPassword = adminPassword;
        _postgres = postgres;
    }

    public Uri Address { get; }

    public string AdminPassword { get; }

    /// <summary>The host's process, for its memory.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the host wrote (Warning and above), for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the host and waits until <c>/health/ready</c> answers 200.</summary>
    /// <exception cref="InvalidOperationException">The host's build output is missing, or it exited while starting.</exception>
    /// <exception cref="TimeoutException">It was not ready in time.</exception>
    public static async Task<PlatformHost> StartAsync(string folder, CancellationToken cancellationToken)
    {
        var assembly = HostAssembly();
        var postgres = BenchmarkDatabase.Create();
        var address = new Uri($"http://127.0.0.1:{FreePort()}/");
        var adminPassword = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        info.ArgumentList.Add(assembly);
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["Security__AllowPlainHttpOutsideDevelopment"] = "true",
            ["Identity__AllowPasswordGrant"] = "true",
            ["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/'),
            ["Database__Provider"] = postgres is null ? "Sqlite" : "PostgreSql",
            ["ConnectionStrings__Dragon"] = postgres ?? $"Data Source={Path.Combine(folder, "dragon.db")}",
            ["Bootstrap__AdminEmail"] = AdminEmail,
            ["Bootstrap__AdminPassword"] = adminPassword,
            ["Audit__SigningKeyPath"] = Path.Combine(folder, "audit-signing-key.pem"),
            ["RateLimits__AuthPermitsPerMinute"] = "100000",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Policies__Directory"] = PoliciesWithLargerBudget(Path.Combine(Path.GetDirectoryName(assembly)!, "policies"), Path.Combine(folder, "policies")),
        })
        {
            info.Environment[name] = value;
        }
        var host = new PlatformHost(new Process { StartInfo = info }, address, adminPassword, postgres);
        try
        {
            await host.StartAsync(cancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Ends the host and everything it started.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // It never started.
        }
        _process.Dispose();
        BenchmarkDatabase.Drop(_postgres);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The platform exited while starting:\n{Output}");
            }
            try
            {
                using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken);
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new TimeoutException($"The platform was not ready within {StartTimeout.TotalSeconds} s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>A copy of the host's policies in <paramref name="target"/>, with <see cref="PrivacyBudget"/> as every agreement's budget.</summary>
    private static string PoliciesWithLargerBudget(string shipped, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(shipped, "*.json"))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        var disclosurePath = Path.Combine(target, "disclosure.json");
        var disclosure = JsonNode.Parse(File.ReadAllText(disclosurePath))!;
        disclosure["agreement"]!["privacyBudget"] = PrivacyBudget;
        disclosure["agreement"]!["researcherCohortBudget"] = PrivacyBudget;
        File.WriteAllText(disclosurePath, disclosure.ToJsonString());
        return target;
    }

    /// <summary>
    /// <c>src/Dragon.Platform.Api/bin/{configuration}/{framework}/Dragon.Platform.Api.dll</c> of the repository above this
    /// program, in the configuration and framework this program runs from (BenchmarkDotNet builds its runner under
    /// <c>bench/Dragon.Benchmarks/bin/Release/net10.0/{job}/bin/Release/net10.0/</c>, and the project reference builds the host).
    /// </summary>
    private static string HostAssembly()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        for (var folder = framework; folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Dragon.Platform.sln")))
            {
                var path = Path.Combine(folder.FullName, "src", "Dragon.Platform.Api", "bin", framework.Parent!.Name, framework.Name, "Dragon.Platform.Api.dll");
                return File.Exists(path) ? path : throw new InvalidOperationException($"Build the benchmarks first: {path} is missing.");
            }
        }
        throw new InvalidOperationException($"Dragon.Platform.sln is not above {AppContext.BaseDirectory}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
