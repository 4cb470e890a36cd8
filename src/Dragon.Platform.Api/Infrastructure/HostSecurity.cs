namespace Dragon.Platform.Api.Infrastructure;

/// <summary>
/// Whether this host runs hardened: configured token certificates (it refuses to start without them), tokens over HTTPS
/// only, cookies always Secure, HSTS. Every environment but Development is hardened, whatever its name ("Staging",
/// "prod" and a typo all are), unless <see cref="PlainHttpSetting"/> says otherwise: the switch test hosts on loopback
/// set, named so that nobody sets it by accident, and logged as a warning at every start.
/// </summary>
public static class HostSecurity
{
    public const string PlainHttpSetting = "Security:AllowPlainHttpOutsideDevelopment";

    public static bool IsHardened(IHostEnvironment environment, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(configuration);
        return !environment.IsDevelopment() && !configuration.GetValue<bool>(PlainHttpSetting);
    }

    public static bool IsHardened(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return IsHardened(builder.Environment, builder.Configuration);
    }

    /// <summary>HSTS on a hardened host; a warning on a non-Development host that was told to allow plain HTTP.</summary>
    public static WebApplication UseHostSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (IsHardened(app.Environment, app.Configuration))
        {
            app.UseHsts();
        }
        else if (!app.Environment.IsDevelopment())
        {
            app.Logger.LogWarning("{Setting} is true in environment {Environment}: tokens over plain HTTP, cookies without Secure, no HSTS. This is for test hosts on loopback only.",
                PlainHttpSetting, app.Environment.EnvironmentName);
        }
        return app;
    }
}
