using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Access;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>
/// Differentially private release through HTTP: the steward's choice of release mode, the manifest the nodes calibrate
/// their noise from, and a release that carries its noise scale and interval.
/// </summary>
public sealed class PrivateReleaseApiTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [Fact]
    public async Task Approval_WithoutAReleaseMode_MakesADifferentiallyPrivateAgreement_ShownAsEpsilon()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);

        var dp = await AgreementAsync(s, await s.NewAgreementAsync(releaseMode: null));
        var exact = await AgreementAsync(s, s.AgreementId);

        Assert.Equal((ReleaseModes.Dp, ReleaseModes.Exact), (dp.ReleaseMode, exact.ReleaseMode));
        Assert.Equal(1e-6, dp.Privacy!.Delta);
        Assert.Equal(ZeroConcentratedDp.Epsilon(dp.PrivacyBudget, 1e-6), dp.Privacy.Epsilon, 1e-9);
        Assert.Equal(0, dp.Privacy.EpsilonSpent);
    }

    [Theory]
    [InlineData("approve", "noisy")]
    [InlineData("reject", "exact")]
    public async Task ReleaseMode_ThatIsUnknown_OrNotWithAnApproval_IsRefused(string decision, string releaseMode)
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var request = await (await s.Researcher.Client.PostAsJsonAsync("/api/v1/access-requests", new AccessRequestBody(
                "Counts", "DUO:0000006", [.. s.Cohorts.Select(c => c.Id)], ["age"], ["count"], "Pooled counts of COVID-19 admissions.", 30), DragonJson.Options))
            .ReadAsAsync<AccessRequestResponse>(HttpStatusCode.Created);

        var response = await s.Steward.Client.PostAsJsonAsync($"/api/v1/access-requests/{request.Id}/decisions", new DecisionRequest(decision, "no", releaseMode), DragonJson.Options);

        Assert.NotEmpty((await response.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("releaseMode"));
        var unchanged = await (await s.Steward.Client.GetAsync($"/api/v1/access-requests/{request.Id}")).ReadAsAsync<AccessRequestResponse>(HttpStatusCode.OK);
        Assert.Equal("submitted", unchanged.Status, ignoreCase: true);
        Assert.Empty(unchanged.Decisions);
    }

    [Fact]
    public async Task DpCount_ManifestCarriesTheBudget_ReleaseCarriesNoiseScaleAndInterval()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        s.AgreementId = await s.NewAgreementAsync(ReleaseModes.Dp);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        var task = await JobScenario.WaitForTaskAsync(s.Nodes[0], job.Id, "commitment");

        // The test's nodes add fixed stand-ins for their noise shares: +3, -2, +1 to counts 10, 7, 3.
        await s.ContributeAllAsync(job.Id, [13], [5], [4]);
        foreach (var node in s.Nodes)
        {
            (await s.ShareAsync(node, job.Id)).EnsureSuccessStatusCode();
        }
        var released = await s.WaitForStatusAsync(job.Id, "released");

        Assert.Equal(new JobPrivacy(ReleaseModes.Dp, 0.02), task.Job!.Privacy);
        var researcher = s.Researcher.User;
        Assert.Equal(new JobRequester(s.AgreementId, researcher.Id, researcher.DisplayName, researcher.Email[(researcher.Email.IndexOf('@', StringComparison.Ordinal) + 1)..]),
            task.Job.Requester);
        Assert.Equal(fixture.Factory.Services.GetRequiredService<Dragon.Platform.Access.DisclosurePolicy>().MinCellCount, task.Job.MinCellCount);
        var result = released.Result!;
        Assert.Equal((ReleaseModes.Dp, 0.02), (result.ReleaseMode, result.Rho));
        var cell = Assert.Single(result.Cells);
        // Each node's variance is 1 / (2 rho) shared by two of three nodes (12.5); the sum has three of them: 37.5.
        var scale = Math.Sqrt(3 * NoiseCalibration.NodeVariances(new AggregationSpec("count"), new Dictionary<string, LayoutVariable>(), 0.02, 3)[0]);
        Assert.Equal(Math.Sqrt(37.5), scale, 0.05);
        Assert.Equal((22.0, false), (cell.Value, cell.Suppressed));
        Assert.Equal(scale, cell.NoiseScale!.Value, 1e-9);
        Assert.Equal(22 - (1.959964 * scale), cell.Interval!.Low, 1e-4);
        Assert.Equal(22 + (1.959964 * scale), cell.Interval.High, 1e-4);
        Assert.Null(result.Clipped);
    }

    [Fact]
    public async Task DpSum_OfAVariableWithoutBounds_IsRefusedAtSubmission()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        s.AgreementId = await s.NewAgreementAsync(ReleaseModes.Dp);

        var response = await s.Researcher.Client.PostAsJsonAsync("/api/v1/jobs",
            new JobRequest(s.AgreementId, s.KeySetId, [.. s.Cohorts.Select(c => c.Id)], null, new AggregationSpec("sum", "age")), DragonJson.Options);

        Assert.Contains("'age' has no declared bounds", Assert.Single((await response.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("aggregation.variable")), StringComparison.Ordinal);
    }

    private static async Task<AgreementResponse> AgreementAsync(JobScenario s, Guid id) =>
        await (await s.Researcher.Client.GetAsync($"/api/v1/agreements/{id}")).ReadAsAsync<AgreementResponse>(HttpStatusCode.OK);
}
