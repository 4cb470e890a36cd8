using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Dragon.Portal.BrowserTests.Infrastructure;

/// <summary>What a person does on every visit: sign in on the platform's pages, and the checks every portal page passes.</summary>
public static class PortalBrowser
{
    // Addresses are checked with Expect(page).ToHaveURLAsync, which the browser side polls. Not with WaitForURLAsync or
    // WaitForLoadStateAsync: in Playwright .NET those check a state and then subscribe to its event, and the thread that
    // delivers events can fire it in between (playwright-dotnet#3364); with the URL already matching, WaitForURLAsync
    // also waits for `load` whatever WaitUntil says (#3365). On a loaded machine a sign-in then hung for 30 s.
    private static readonly Regex LoginPage = new(@"^https?://[^/]+/account/login(\?|$)");
    private static readonly Regex ConsentOrPortalPage = new(@"^https?://[^/]+/(connect/authorize|portal)(/|\?|$)");
    private static readonly Regex PortalPage = new(@"^https?://[^/]+/portal(/|\?|$)");

    /// <summary>
    /// Signs in from a portal page that sent the browser to the platform's login page; on the first sign-in the
    /// platform asks to allow the portal, and <paramref name="screenshotPrefix"/> names screenshots of both pages.
    /// </summary>
    public static async Task SignInAsync(IPage page, string email, string password, string? screenshotPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Assertions.Expect(page).ToHaveURLAsync(LoginPage);
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        if (screenshotPrefix is not null)
        {
            await Screenshots.TakeAsync(page, screenshotPrefix + "-sign-in");
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(ConsentOrPortalPage);
        // Asked of the document, not of page.Url, which follows the browser's events and can lag behind it.
        if (await page.EvaluateAsync<string>("() => location.pathname") == "/connect/authorize")
        {
            if (screenshotPrefix is not null)
            {
                await Screenshots.TakeAsync(page, screenshotPrefix + "-allow-portal");
            }
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        }
        await Assertions.Expect(page).ToHaveURLAsync(PortalPage);
    }

    /// <summary>Collects what the browser reports as errors, such as a content security policy violation.</summary>
    public static List<string> CollectErrors(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }

    /// <summary>Every visible form control has a label, and the page fits the viewport without sideways scrolling.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
              .map(e => e.name || e.id || e.outerHTML)
            """);
        Assert.True(unlabelled.Length == 0, $"{page.Url}: controls without a label: {string.Join(", ", unlabelled)}");
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{page.Url} scrolls sideways by {overflow}px.");
    }
}
