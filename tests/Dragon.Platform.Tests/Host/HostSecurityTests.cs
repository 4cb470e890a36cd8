using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dragon.Platform.Api.Features.Portal;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dragon.Platform.Tests.Host;

/// <summary>
/// Production hardening does not hang on the environment being named "Production": a host in any environment but
/// Development refuses to start without token certificates, and with them sends tokens over HTTPS only, marks every
/// cookie Secure and sends HSTS.
/// </summary>
public sealed class HostSecurityTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dragon-host-security-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("Staging")]
    [InlineData("Production")]
    [InlineData("prod")]
    public void AnEnvironmentOtherThanDevelopment_WithoutTokenCertificates_RefusesToStart(string environment)
    {
        using var host = Hardened(environment, certificates: false);

        var refused = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("config.identity.certificates_missing", Flatten(refused), StringComparison.Ordinal);
    }

    [Fact]
    public void AHardenedHost_WithoutAConfiguredAuditKey_RefusesToStart_AndAKeyItCreatesIsOwnerOnly()
    {
        using var host = Hardened("Staging", certificates: true).WithWebHostBuilder(builder => builder.UseSetting("Audit:SigningKeyPath", " "));
        var keyPath = Path.Combine(_folder, "owner-only", "key.pem");

        Assert.Contains("config.audit.signing_key_missing", Flatten(Assert.ThrowsAny<Exception>(() => host.CreateClient())), StringComparison.Ordinal);
        using var created = Dragon.Platform.Audit.AuditSigningKey.LoadOrCreate(keyPath);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        }
        using var loaded = Dragon.Platform.Audit.AuditSigningKey.LoadOrCreate(keyPath);
        Assert.Equal(created.KeyId, loaded.KeyId);
    }

    [Fact]
    public void AHardenedHost_WhosePortalSignsInOverPlainHttp_RefusesToStart()
    {
        using var host = Hardened("Staging", certificates: true).WithWebHostBuilder(builder =>
            builder.UseSetting("Identity:PortalRedirectUris:0", "http://dragon.example.org/portal/signin-oidc"));

        Assert.Contains("config.portal.authority_not_https", Flatten(Assert.ThrowsAny<Exception>(() => host.CreateClient())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHardenedHost_RefusesTokensOverPlainHttp_MarksCookiesSecure_AndSendsHsts()
    {
        using var host = Hardened("Staging", certificates: true);
        using var plain = host.CreateClient();
        using var secure = host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://dragon.example.org") });

        using var overHttp = await plain.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "dragon-cli", ["username"] = TestAccounts.AdminEmail, ["password"] = TestAccounts.AdminPassword,
        }));
        using var loginPage = await secure.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.BadRequest, overHttp.StatusCode);
        Assert.Contains("HTTPS", await overHttp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(loginPage.StatusCode == HttpStatusCode.OK, await loginPage.Content.ReadAsStringAsync());
        Assert.True(loginPage.Headers.TryGetValues("Strict-Transport-Security", out var hsts), "No HSTS header on an HTTPS answer.");
        Assert.StartsWith("max-age=", Assert.Single(hsts), StringComparison.Ordinal);
        var cookies = loginPage.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        var options = host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>();
        Assert.Equal(CookieSecurePolicy.Always, options.Get(IdentityConstants.ApplicationScheme).Cookie.SecurePolicy);
        Assert.Equal(CookieSecurePolicy.Always, options.Get(PortalAuthentication.CookieScheme).Cookie.SecurePolicy);
    }

    [Theory]
    [InlineData("Development", null, true)]
    [InlineData("Production", null, false)]
    [InlineData("Staging", null, false)]
    [InlineData("Staging", "true", true)]
    [InlineData("Development", "false", false)]
    public void PasswordGrant_IsOnInDevelopmentOnly_UnlessConfigured(string environment, string? setting, bool allowed)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(setting is null ? [] : [new("Identity:AllowPasswordGrant", setting)]).Build();
        var host = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment };

        Assert.Equal(allowed, IdentitySetup.PasswordGrantAllowed(host, configuration));
    }

    /// <summary>The fixture's host in <paramref name="environment"/>, without the test hosts' plain-HTTP switch.</summary>
    private WebApplicationFactory<Program> Hardened(string environment, bool certificates) => fixture.Factory.WithWebHostBuilder(builder =>
    {
        builder.UseEnvironment(environment);
        builder.UseSetting(HostSecurity.PlainHttpSetting, "false");
        if (certificates)
        {
            builder.UseSetting("Audit:SigningKeyPath", Path.Combine(_folder, "keys", "audit-signing-key.pem"));
            builder.UseSetting("Identity:PortalRedirectUris:0", "https://dragon.example.org/portal/signin-oidc");
            builder.UseSetting("Identity:SigningCertificate:Path", Certificate("signing", X509KeyUsageFlags.DigitalSignature));
            builder.UseSetting("Identity:EncryptionCertificate:Path", Certificate("encryption", X509KeyUsageFlags.KeyEncipherment));
        }
    });

    private string Certificate(string name, X509KeyUsageFlags usage)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=Dragon test {name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(_folder, $"{name}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        return path;
    }

    private static string Flatten(Exception exception) =>
        exception.InnerException is null ? exception.Message : $"{exception.Message} | {Flatten(exception.InnerException)}";
}
