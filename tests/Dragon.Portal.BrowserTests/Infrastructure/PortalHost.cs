using System.Net;
using System.Net.Sockets;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Dragon.Portal.BrowserTests.Infrastructure;

/// <summary>
/// The real platform host on Kestrel at a real address, on a fresh SQLite file, and Debian's Chromium driven by
/// Playwright (no browser download). One per test class.
/// </summary>
public sealed class PortalHost : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? _playwright;

    public DragonApiFactory Factory { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The portal's redirect address is registered at start-up, before Kestrel would tell a port of its choosing.
        Address = new Uri($"http://127.0.0.1:{FreePort()}");
        Factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, settings: new Dictionary<string, string>
        {
            ["urls"] = Address.ToString().TrimEnd('/'),
            ["Identity:PortalRedirectUris:0"] = new Uri(Address, "/portal/signin-oidc").ToString(),
        });
        Factory.UseKestrel();
        Factory.StartServer();
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium package (test.sh does).");
        // Assertions poll for 5 s by default, short for a page that waits on a loaded two-core machine.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh browser profile (no cookies) with a viewport the size of a phone or of a desktop screen.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 375, Height = 812 } : new ViewportSize { Width = 1280, Height = 900 },
            DeviceScaleFactor = 1,
            IsMobile = phone,
            HasTouch = phone,
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
            Factory.DropDatabase();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
