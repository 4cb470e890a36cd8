using Microsoft.Playwright;

namespace Dragon.Portal.BrowserTests.Infrastructure;

/// <summary>What a person does on every visit: sign in on the platform's pages, and the checks every portal page passes.</summary>
public static class PortalBrowser
{
    private static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.Commit };

    /// <summary>
    /// Signs in from a portal page that sent the browser to the platform's login page; on the first sign-in the
    /// platform asks to allow the portal, and <paramref name="screenshotPrefix"/> names screenshots of both pages.
    /// </summary>
    public static async Task SignInAsync(IPage page, string email, string password, string? screenshotPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        if (screenshotPrefix is not null)
        {
            await Screenshots.TakeAsync(page, screenshotPrefix + "-sign-in");
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Commit, not load: the sign-in ends in a chain of redirects, and a loaded machine can miss the load event of
        // a page the chain passes through; the next step waits for its own element anyway.
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath != "/account/login", Committed);
        if (new Uri(page.Url).AbsolutePath == "/connect/authorize")
        {
            if (screenshotPrefix is not null)
            {
                await Screenshots.TakeAsync(page, screenshotPrefix + "-allow-portal");
            }
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        }
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/portal", StringComparison.Ordinal), Committed);
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
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
