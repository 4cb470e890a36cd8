using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Dragon.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of one test's own (Debian's binaries, as <c>test.sh</c> starts the shared one), so that the test
/// can stop and restart it under a running platform without touching the server the other tests use.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _bin;
    private readonly DirectoryInfo _folder;
    private readonly bool _asPostgresUser = Environment.UserName == "root";

    private PostgresServer(string bin, DirectoryInfo folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's maintenance database, without pooling: each test database is created from it.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public static PostgresServer Start()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).OrderBy(d => int.Parse(Path.GetFileName(Path.GetDirectoryName(d))!, System.Globalization.CultureInfo.InvariantCulture)).Last();
        var folder = Directory.CreateTempSubdirectory("dragon-pg-");
        var server = new PostgresServer(bin, folder, FreePort());
        if (server._asPostgresUser)
        {
            Run("chown", "postgres", folder.FullName);
        }
        server.Postgres("initdb", "-D", server.Data, "-U", "postgres", "--auth=trust");
        server.StartServer();
        return server;
    }

    /// <summary>Stops the server (fast: open connections are cut, as in a real restart) and starts it again on the same port.</summary>
    public void Restart()
    {
        Postgres("pg_ctl", "-D", Data, "-m", "fast", "-w", "stop");
        StartServer();
    }

    public void Dispose()
    {
        try
        {
            Postgres("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            _folder.Delete(recursive: true);
        }
    }

    private string Data => Path.Combine(_folder.FullName, "data");

    private void StartServer() =>
        Postgres("pg_ctl", "-D", Data, "-l", Path.Combine(_folder.FullName, "server.log"), "-w",
            "-o", $"-p {Port} -k {_folder.FullName} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off", "start");

    private void Postgres(string program, params string[] args)
    {
        var path = Path.Combine(_bin, program);
        if (_asPostgresUser)
        {
            Run("runuser", ["-u", "postgres", "--", path, .. args]);
        }
        else
        {
            Run(path, args);
        }
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}:\n{output.Result}\n{errors.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
