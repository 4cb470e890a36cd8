using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Identity;
using Dragon.Contracts.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dragon.Node.Tests.Infrastructure;

/// <summary>
/// The real platform host in-process on a fresh SQLite file, as the platform's own tests run it; the node's
/// commands reach it through <see cref="Handler"/>, so no port is opened. Admin calls use the bootstrap Admin
/// and the password grant of <c>dragon-cli</c>.
/// </summary>
public sealed class PlatformHost : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@dragon.test";
    public const string AdminPassword = "bootstrap admin passphrase";
    public const string Organisation = "Radboud UMC";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dragon-node-platform-");

    public Uri Address => Server.BaseAddress;

    public HttpMessageHandler Handler() => Server.CreateHandler();

    public async Task<string> EnrollmentTokenAsync()
    {
        using var admin = await AdminAsync();
        using var response = await admin.PostAsJsonAsync("/api/v1/nodes/enrollment-tokens", new EnrollmentTokenRequest(Organisation, 1), DragonJson.Options);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Issuing an enrollment token answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<EnrollmentTokenResponse>(body, DragonJson.Options)!.Token;
    }

    public async Task ApproveAsync(Guid nodeId)
    {
        using var admin = await AdminAsync();
        using var response = await admin.PostAsync($"/api/v1/nodes/{nodeId}/approve", null);
        Assert.True(response.IsSuccessStatusCode, $"Approving node {nodeId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public Task<HttpClient> AdminAsync() => SignInAsync(AdminEmail, AdminPassword);

    /// <summary>A new platform user with one role, signed in.</summary>
    public async Task<(Guid Id, HttpClient Client)> NewUserAsync(string role)
    {
        const string password = "correct horse battery staple";
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@dragon.test";
        using var admin = await AdminAsync();
        using var response = await admin.PostAsJsonAsync("/api/v1/users", new CreateUserRequest(email, password, $"Test {role}", [role]), DragonJson.Options);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Creating a {role} answered {(int)response.StatusCode}: {body}");
        return (JsonSerializer.Deserialize<UserResponse>(body, DragonJson.Options)!.Id, await SignInAsync(email, password));
    }

    private async Task<HttpClient> SignInAsync(string email, string password)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "dragon-cli",
            ["username"] = email,
            ["password"] = password,
            ["scope"] = "roles offline_access",
        });
        using var response = await CreateClient().PostAsync("/connect/token", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"The token endpoint answered {(int)response.StatusCode}: {body}");
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString());
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Security:AllowPlainHttpOutsideDevelopment", "true");
        builder.UseSetting("Identity:AllowPasswordGrant", "true");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Dragon", $"Data Source={Path.Combine(_folder.FullName, "dragon.db")}");
        builder.UseSetting("Audit:SigningKeyPath", Path.Combine(_folder.FullName, "audit-signing-key.pem"));
        builder.UseSetting("Jobs:WorkerCount", "1");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("Identity:PortalRedirectUris:0", "http://localhost/portal/signin-oidc");
        builder.UseSetting("RateLimits:AuthPermitsPerMinute", "100000");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_folder.FullName))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _folder.Delete(recursive: true);
        }
    }
}
