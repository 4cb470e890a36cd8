using System.Security.Cryptography.X509Certificates;
using System.Threading.RateLimiting;
using Dragon.Platform.Api.Features.Portal;
using Dragon.Platform.Identity;
using Dragon.Platform.Nodes;
using Dragon.Platform.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>
/// Accounts (ASP.NET Core Identity) and the OpenID Connect server (OpenIddict) that issues every token the
/// API accepts, configured in one place in the shape of OpenIddict's Velusia sample.
/// </summary>
public static class IdentitySetup
{
    public const string AuthRateLimit = "auth";
    public const string NodeUploadLimit = "node-uploads";
    public const string LinkCodeLimit = "link-codes";
    public const string AuditVerifyLimit = "audit-verify";

    /// <summary>Whose share of a per-caller limit a request uses: the signed-in caller's (a node, a patient), or else its address's.</summary>
    public static string CallerPartition(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.FindFirst(Claims.Subject)?.Value is { } subject
            ? "caller:" + subject
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    /// <summary>
    /// How often a browser session (the platform's sign-in, the portal's) re-reads its account:
    /// <c>Identity:SessionCheckInterval</c>, or <c>Portal:SessionCheckInterval</c> as earlier builds called it; one minute by default.
    /// </summary>
    public static TimeSpan SessionCheckInterval(IConfiguration configuration) =>
        configuration.GetValue<TimeSpan?>("Identity:SessionCheckInterval")
        ?? configuration.GetValue<TimeSpan?>("Portal:SessionCheckInterval")
        ?? TimeSpan.FromMinutes(1);

    /// <summary>
    /// The password grant serves scripts and tests through the first-party client only: on in Development, off in every
    /// other environment unless <c>Identity:AllowPasswordGrant</c> turns it on (people sign in with the authorization code
    /// flow, nodes with client credentials).
    /// </summary>
    public static bool PasswordGrantAllowed(IHostEnvironment environment, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetValue("Identity:AllowPasswordGrant", environment.IsDevelopment());
    }

    public static WebApplicationBuilder AddDragonIdentity(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var hardened = builder.IsHardened();

        services.AddIdentity<DragonUser, IdentityRole<Guid>>(options =>
            {
                // Length over composition rules, as NIST SP 800-63B advises.
                options.Password.RequiredLength = 12;
                options.Password.RequiredUniqueChars = 4;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
                // A self-registered patient signs in only after following the link e-mailed to the address.
                options.SignIn.RequireConfirmedEmail = true;
                // OpenIddict's claim names, so tokens and the cookie principal agree.
                options.ClaimsIdentity.UserNameClaimType = Claims.Name;
                options.ClaimsIdentity.UserIdClaimType = Claims.Subject;
                options.ClaimsIdentity.RoleClaimType = Claims.Role;
                options.ClaimsIdentity.EmailClaimType = Claims.Email;
            })
            .AddEntityFrameworkStores<DragonDbContext>()
            .AddDefaultTokenProviders();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.Cookie.Name = "dragon.session";
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = hardened ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        // Every host of one platform must read the cookies, antiforgery fields and e-mailed tokens the others wrote: one
        // application name (not the content root, which differs between machines) and, with several hosts, one key ring
        // they all reach (DataProtection:KeysPath on a shared volume).
        var dataProtection = services.AddDataProtection().SetApplicationName("dragon-platform");
        if (configuration["DataProtection:KeysPath"] is { Length: > 0 } keysPath)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keysPath));
        }
        // The platform's sign-in cookie re-reads the account's security stamp this often (Identity's default is 30
        // minutes): a new password or changed roles end it, so the portal cannot be signed back in silently.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = SessionCheckInterval(configuration));

        services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<DragonDbContext>())
            .AddServer(options =>
            {
                options.SetTokenEndpointUris("connect/token")
                    .SetAuthorizationEndpointUris("connect/authorize")
                    .SetEndSessionEndpointUris("connect/logout");
                options.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow()
                    .RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow();
                if (PasswordGrantAllowed(builder.Environment, configuration))
                {
                    options.AllowPasswordFlow();
                }
                options.RegisterScopes(Scopes.Email, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess);
                options.SetAccessTokenLifetime(TimeSpan.FromMinutes(configuration.GetValue("Identity:AccessTokenMinutes", 60)));
                AddCredentials(options, builder);
                var aspNetCore = options.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                // Plain HTTP is accepted only on development and test hosts; every other sits behind TLS.
                if (!hardened)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();
                options.UseAspNetCore();
                // Ask the database about every token, so a revoked token (a suspended node's) stops working at once.
                options.EnableTokenEntryValidation();
                options.EnableAuthorizationEntryValidation();
            });
        services.AddAuthentication(options =>
        {
            options.DefaultAuthenticateScheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
            options.DefaultChallengeScheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
        });

        services.AddRateLimiter(options =>
        {
            var permits = configuration.GetValue("RateLimits:AuthPermitsPerMinute", 30);
            options.AddPolicy(AuthRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            // Uploads are parsed and checked in memory: one node gets two at a time, a few more wait, the rest are refused.
            var uploadsAtOnce = configuration.GetValue("RateLimits:NodeUploadsAtOnce", 2);
            var uploadsQueued = configuration.GetValue("RateLimits:NodeUploadsQueued", 8);
            options.AddPolicy(NodeUploadLimit, context => RateLimitPartition.GetConcurrencyLimiter(
                CallerPartition(context), _ => new ConcurrencyLimiterOptions { PermitLimit = uploadsAtOnce, QueueLimit = uploadsQueued }));
            // A link code is short enough to guess at: each caller gets a few tries an hour (page views do not count).
            var linkAttempts = configuration.GetValue("RateLimits:LinkCodeAttemptsPerHour", 10);
            options.AddPolicy(LinkCodeLimit, context => HttpMethods.IsGet(context.Request.Method)
                ? RateLimitPartition.GetNoLimiter("page")
                : RateLimitPartition.GetFixedWindowLimiter(CallerPartition(context),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = linkAttempts, Window = TimeSpan.FromHours(1), QueueLimit = 0 }));
            // Verifying reads the trail since the last checkpoint (all of it, when asked): a few runs a minute per caller.
            var verifications = configuration.GetValue("RateLimits:AuditVerifyPerMinute", 6);
            options.AddPolicy(AuditVerifyLimit, context => RateLimitPartition.GetFixedWindowLimiter(CallerPartition(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = verifications, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                if (context.HttpContext.Request.Path.StartsWithSegments(PortalSetup.Path))
                {
                    await PortalErrorPage.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests);
                    return;
                }
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = "This route limits how many requests one caller makes per minute or at a time; retry later.",
                    },
                });
            };
        });

        services.AddScoped<UserAccounts>();
        services.AddScoped<AccountErasure>();
        services.AddScoped<PatientRegistration>();
        services.AddScoped<NodeRegistry>();
        services.AddScoped<IdentitySeeder>();
        return builder;
    }

    public static async Task SeedDragonIdentityAsync(this WebApplication app)
    {
        var configuration = app.Configuration;
        var portalRedirects = PortalRedirectUris(configuration);
        var (adminEmail, adminPassword) = (configuration["Bootstrap:AdminEmail"], configuration["Bootstrap:AdminPassword"]);
        if (string.IsNullOrWhiteSpace(adminEmail) && app.Environment.IsDevelopment())
        {
            (adminEmail, adminPassword) = DevelopmentAdmin(app);
        }
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IdentitySeeder>().SeedAsync(new IdentitySeedOptions(
            adminEmail,
            adminPassword,
            [.. portalRedirects.Select(uri => new Uri(uri, UriKind.Absolute))],
            [.. CliRedirectUris(configuration).Select(uri => new Uri(uri, UriKind.Absolute))]), app.Lifetime.ApplicationStopping);
    }

    /// <summary>
    /// <c>Identity:PortalRedirectUris</c>: where the portal may receive authorization codes, the host's public
    /// address plus <c>/portal/signin-oidc</c>; by default the development host's.
    /// </summary>
    public static string[] PortalRedirectUris(IConfiguration configuration) =>
        configuration.GetSection("Identity:PortalRedirectUris").Get<string[]>() is { Length: > 0 } uris
            ? uris
            : ["http://localhost:5080/portal/signin-oidc"];

    /// <summary>
    /// <c>Identity:CliRedirectUris</c>: the loopback addresses where the researcher's <c>dragon login</c> may receive its
    /// code; by default <c>http://127.0.0.1:53682/callback</c> (its default <c>--port</c>).
    /// </summary>
    public static string[] CliRedirectUris(IConfiguration configuration) =>
        configuration.GetSection("Identity:CliRedirectUris").Get<string[]>() is { Length: > 0 } uris
            ? uris
            : ["http://127.0.0.1:53682/callback"];

    /// <summary>
    /// On a development machine without <c>Bootstrap:*</c> settings, an Admin with a random password, kept in
    /// <c>data/bootstrap-admin.txt</c> (owner-only) rather than in logs or in git.
    /// </summary>
    private static (string Email, string Password) DevelopmentAdmin(WebApplication app)
    {
        const string email = "admin@dragon.local";
        var path = Path.Combine(app.Environment.ContentRootPath, "data", "bootstrap-admin.txt");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"{email}\n{Dragon.Platform.Common.Secrets.NewToken()}\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        var lines = File.ReadAllLines(path);
        app.Logger.LogInformation("Development Admin {Email}: its password is in {Path}", lines[0], path);
        return (lines[0], lines[1]);
    }

    /// <summary>
    /// Production signs and encrypts tokens with two X.509 certificates from configuration, distinct from the
    /// HTTPS one. Elsewhere OpenIddict's development certificates are generated once and kept in the user's
    /// certificate store, so tokens survive a restart.
    /// </summary>
    private static void AddCredentials(OpenIddictServerBuilder options, WebApplicationBuilder builder)
    {
        var signing = builder.Configuration["Identity:SigningCertificate:Path"];
        var encryption = builder.Configuration["Identity:EncryptionCertificate:Path"];
        if (!string.IsNullOrWhiteSpace(signing) && !string.IsNullOrWhiteSpace(encryption))
        {
            options.AddSigningCertificate(LoadCertificate(signing, builder.Configuration["Identity:SigningCertificate:Password"]));
            options.AddEncryptionCertificate(LoadCertificate(encryption, builder.Configuration["Identity:EncryptionCertificate:Password"]));
            return;
        }
        if (builder.IsHardened())
        {
            throw new InvalidOperationException(
                $"config.identity.certificates_missing: set Identity:SigningCertificate:Path and Identity:EncryptionCertificate:Path (PKCS#12 files); every environment but Development ({builder.Environment.EnvironmentName} here) needs them.");
        }
        options.AddDevelopmentSigningCertificate().AddDevelopmentEncryptionCertificate();
    }

    private static X509Certificate2 LoadCertificate(string path, string? password) =>
        X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
}
