using Dragon.Contracts.Jobs;
using Dragon.Platform.Tests.Infrastructure;
using Dragon.Platform.Tests.Jobs;
using Dragon.Portal.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Dragon.Portal.BrowserTests;

/// <summary>A researcher searches the catalogue and reads a histogram released by three nodes with the real engine.</summary>
public sealed class ResearcherPortalTests(PortalHost host) : IClassFixture<PortalHost>
{
    [Fact]
    public async Task Researcher_SeesAReleasedHistogramAsATableAndABarChart()
    {
        var scenario = await JobScenario.CreateAsync(host.Factory);
        var job = await scenario.RunAsync(new AggregationSpec("histogram", "age", [0, 40, 60, 80, 120]), [6, 9, 12, 4], [5, 8, 10, 3], [7, 11, 9, 2]);
        Assert.Equal([18.0, 28.0, 31.0, 9.0], job.Result!.Cells.Select(c => c.Value));
        var page = await host.NewPageAsync();
        var errors = PortalBrowser.CollectErrors(page);

        await page.GotoAsync("/portal/catalogue");
        await PortalBrowser.SignInAsync(page, scenario.Researcher.User.Email, TestAccounts.Password);
        await page.GetByLabel("Search").FillAsync(scenario.Cohorts[0].Name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "1 cohort" })).ToBeVisibleAsync();
        await page.GetByText("6 variables").ClickAsync();
        await PortalBrowser.AssertAccessibleAsync(page);
        await Screenshots.TakeAsync(page, "researcher-01-catalogue");

        await page.GetByRole(AriaRole.Link, new() { Name = "Access requests" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admissions by age and CT severity" })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "researcher-02-requests");
        await page.GetByRole(AriaRole.Link, new() { Name = "Agreements" }).ClickAsync();
        await Screenshots.TakeAsync(page, "researcher-03-agreements");
        await page.GetByRole(AriaRole.Link, new() { Name = "Jobs" }).ClickAsync();
        await Screenshots.TakeAsync(page, "researcher-04-jobs");
        await page.GetByRole(AriaRole.Link, new() { Name = "Histogram of age" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Number of records by age" })).ToBeVisibleAsync();
        Assert.Equal(4, await page.Locator("svg.chart rect.bar").CountAsync());
        Assert.Equal(["[0,40)", "[40,60)", "[60,80)", "[80,120)"], await page.Locator("table tbody th").AllTextContentsAsync());
        Assert.Equal(["18", "28", "31", "9"], await page.Locator("table tbody td.number").AllTextContentsAsync());
        var widths = await page.Locator("svg.chart rect.bar").EvaluateAllAsync<double[]>("bars => bars.map(b => b.width.baseVal.value)");
        Assert.Equal(widths.Max(), widths[2]);
        await Screenshots.TakeAsync(page, "researcher-05-result");
        await page.SetViewportSizeAsync(375, 812);
        await PortalBrowser.AssertAccessibleAsync(page);
        await Screenshots.TakeAsync(page, "researcher-06-result-phone");

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
