using Dragon.Platform.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dragon.Platform.Tests.Infrastructure;

/// <summary>
/// The real platform host on a real database of its own: a fresh SQLite file, or a fresh database on the
/// PostgreSQL server the test script started. Dispose it to stop the host; <see cref="Restart"/> starts a
/// new host on the same database, as an operator restarting the platform would.
/// </summary>
public sealed class DragonApiFactory : WebApplicationFactory<Program>
{
    private readonly TestDatabase _database;
    private readonly Action<IServiceCollection>? _services;
    private readonly IReadOnlyDictionary<string, string> _settings;

    private DragonApiFactory(TestDatabase database, Action<IServiceCollection>? services, IReadOnlyDictionary<string, string>? settings)
    {
        _database = database;
        _services = services;
        _settings = settings ?? new Dictionary<string, string>();
        Accounts = new TestAccounts(this);
    }

    /// <summary>Signed-in clients for each role, created through the real API and token endpoint.</summary>
    public TestAccounts Accounts { get; }

    public DatabaseProvider Provider => _database.Provider;

    public string ConnectionString => _database.ConnectionString;

    /// <summary>The folder beside the database: the audit signing key (<c>audit-signing-key.pem</c>) and its history.</summary>
    public DirectoryInfo Folder => _database.Folder;

    public static DragonApiFactory Create(
        DatabaseProvider provider, Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string>? settings = null) =>
        new(TestDatabase.Create(provider), services, settings);

    /// <summary>A new host on the same database; the caller disposes this one first. <paramref name="settings"/> replace this host's where they overlap.</summary>
    public DragonApiFactory Restart(Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string>? settings = null) =>
        new(_database, services ?? _services, settings is null ? _settings : _settings.Concat(settings).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value));

    /// <summary>
    /// Takes Hangfire's server and the work sweep out of a host: work is queued but runs only when a test runs it, and
    /// only requests write to the database.
    /// </summary>
    public static void WithoutBackgroundWork(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(IHostedService)
            && (d.ImplementationType?.Name == "WorkSweepService" || d.ImplementationFactory?.Method.DeclaringType?.Namespace?.StartsWith("Hangfire", StringComparison.Ordinal) == true)).ToList())
        {
            services.Remove(descriptor);
        }
    }

    /// <summary>How many events of <paramref name="action"/> the audit trail holds about <paramref name="objectId"/>.</summary>
    public async Task<int> AuditEventCountAsync(Guid objectId, Dragon.Platform.Audit.AuditAction action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DragonDbContext>().AuditEvents.CountAsync(e => e.ObjectId == objectId.ToString() && e.Action == action);
    }

    /// <summary>Drops the test database; call once, after the last host on it is disposed.</summary>
    public void DropDatabase() => _database.Drop();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Security:AllowPlainHttpOutsideDevelopment", "true");
        builder.UseSetting("Identity:AllowPasswordGrant", "true");
        builder.UseSetting("Database:Provider", _database.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Dragon", _database.ConnectionString);
        builder.UseSetting("Audit:SigningKeyPath", Path.Combine(_database.Folder.FullName, "audit-signing-key.pem"));
        builder.UseSetting("Email:DropFolder", TestMailbox.Folder(this));
        builder.UseSetting("Jobs:WorkerCount", "2");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Bootstrap:AdminEmail", TestAccounts.AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", TestAccounts.AdminPassword);
        builder.UseSetting("Identity:PortalRedirectUris:0", TestAccounts.PortalRedirectUri);
        builder.UseSetting("RateLimits:AuthPermitsPerMinute", "100000");
        builder.UseSetting("RateLimits:AuditVerifyPerMinute", "100000");
        builder.UseSetting("Identity:SessionCheckInterval", "00:00:00");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(PortalBackchannel.RouteIntoTestServer);
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }
}
