using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Common;

namespace Dragon.Platform.Api.Demo;

/// <summary>
/// The host's <c>--demo</c> switch: a fresh SQLite database and folder under <c>Demo:Folder</c>, a bootstrap Admin
/// with a new random password, and the <see cref="DemoConsortium"/> that builds the rest through the API.
/// </summary>
public static class DemoSetup
{
    public const string Switch = "--demo";

    /// <summary>Marks a folder as the demo's own, the only kind it deletes at start.</summary>
    private const string MarkerFile = ".dragon-demo";

    /// <summary>The arguments without <see cref="Switch"/>, and whether it was there.</summary>
    public static (string[] Args, bool Demo) Take(string[] args) =>
        (args.Where(a => a != Switch).ToArray(), args.Contains(Switch));

    public static void AddDemo(this WebApplicationBuilder builder)
    {
        if (builder.IsHardened())
        {
            throw new InvalidOperationException($"config.demo.production: the demo replaces the database and prints passwords; it runs in Development only, not in {builder.Environment.EnvironmentName}.");
        }
        var options = builder.Configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions();
        var folder = Path.GetFullPath(options.Folder, builder.Environment.ContentRootPath);
        var marker = Path.Combine(folder, MarkerFile);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(marker))
            {
                throw new InvalidOperationException($"config.demo.folder_in_use: {folder} holds files the demo did not make; set Demo:Folder to an empty or demo folder.");
            }
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(marker, "Made by dragon --demo; deleted and made again at every demo start.\n");
        var adminPassword = Secrets.NewToken()[..20];
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Dragon"] = $"Data Source={Path.Combine(folder, "dragon.db")}",
            // A new trail each start needs its own keys and history: an old history names checkpoints this database never had.
            ["Audit:SigningKeyPath"] = Path.Combine(folder, "audit-signing-key.pem"),
            ["Audit:KeyHistoryPath"] = "",
            ["Audit:PersonKeyWrappingPath"] = "",
            ["Bootstrap:AdminEmail"] = options.AdminEmail,
            ["Bootstrap:AdminPassword"] = adminPassword,
            ["Identity:AllowPasswordGrant"] = "true",
            // The demo prints its own story; a line per token request and per agent poll would bury it.
            ["Serilog:MinimumLevel:Override:OpenIddict"] = "Warning",
            ["Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware"] = "Warning",
        });
        builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection(DemoOptions.Section));
        builder.Services.PostConfigure<DemoOptions>(o => o.AdminPassword = adminPassword);
        builder.Services.AddSingleton<DemoConsortium>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DemoConsortium>());
    }
}
