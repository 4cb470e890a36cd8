using Dragon.Contracts.Jobs;
using Dragon.Platform.Tests.Infrastructure;
using Dragon.Platform.Tests.Jobs;

namespace Dragon.Platform.Tests.Portal;

/// <summary>The portal's job page shows an exact release's missing count under its table, or says it is suppressed.</summary>
public sealed class PortalJobResultTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [Fact]
    public async Task ExactHistogram_ShowsItsMissingCount_AndASuppressedOneAsSuppressed()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var shown = await s.RunAsync(new AggregationSpec("histogram", "age", [0, 40, 60, 120]), [4, 3, 10, 2], [4, 3, 5, 2], [4, 3, 5, 2]);
        // The nodes report no difference from the first job's selection; one record without an age.
        var hidden = await s.RunAsync(new AggregationSpec("histogram", "age", [0, 50, 120]), [4, 12, 0, 0, 0], [4, 12, 1, 0, 0], [4, 12, 0, 0, 0]);
        var session = await PortalSession.SignInAsync(fixture.Factory, s.Researcher.User.Email, TestAccounts.Password);

        var shownPage = await session.Client.GetStringAsync($"/portal/jobs/{shown.Id}");
        var hiddenPage = await session.Client.GetStringAsync($"/portal/jobs/{hidden.Id}");

        Assert.Equal(6.0, shown.Result!.Missing!.Value);
        Assert.Contains("Selected records without a value, or in no bin or category: 6.", shownPage, StringComparison.Ordinal);
        Assert.True(hidden.Result!.Missing!.Suppressed);
        Assert.Contains("Selected records without a value, or in no bin or category: suppressed.", hiddenPage, StringComparison.Ordinal);
    }
}
