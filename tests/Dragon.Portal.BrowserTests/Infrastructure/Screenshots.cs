using Microsoft.Playwright;

namespace Dragon.Portal.BrowserTests.Infrastructure;

/// <summary>Full-page screenshots written to <c>artifacts/screenshots/</c> at the repository root; the user guides use some of them.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public static async Task TakeAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Dragon.Platform.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("Dragon.Platform.sln was not found above the test's output folder.");
    }
}
