using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Platform.Audit;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>
/// Exact releases through HTTP: the manifest lists the researcher's earlier exact selections for the nodes to compare
/// with, and the platform reads the nodes' never-released checks (differencing, dominance) and the missing count before
/// it releases anything. The test's nodes send the checks as numbers; the node's tests show how a node computes them.
/// On SQLite and PostgreSQL: the list of earlier jobs depends on how concurrent submissions are serialised.
/// </summary>
public abstract class ExactReleaseApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task ExactJobs_SubmittedAtTheSameMoment_OfEveryPairTheLaterListsTheEarlier()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);

        var jobs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => s.SubmitAsync(new AggregationSpec("count"))));

        var listed = await Task.WhenAll(jobs.Select(async job =>
            (await JobScenario.WaitForTaskAsync(s.Nodes[0], job.Id, "commitment")).Job!.Privacy!.Checks!.Prior.Select(p => p.JobId).ToHashSet()));
        for (var i = 0; i < jobs.Length; i++)
        {
            for (var j = i + 1; j < jobs.Length; j++)
            {
                Assert.True(listed[i].Contains(jobs[j].Id) ^ listed[j].Contains(jobs[i].Id), $"Of jobs {i} and {j}, exactly one should list the other.");
            }
        }
    }

    [Fact]
    public async Task ExactManifest_ListsTheResearchersEarlierExactJobs_NotDpOnes_AndADpManifestAsksForNoChecks()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var first = await s.SubmitAsync(new AggregationSpec("count"));
        var exactAgreement = s.AgreementId;
        s.AgreementId = await s.NewAgreementAsync(ReleaseModes.Dp);
        var dp = await s.SubmitAsync(new AggregationSpec("count"));
        s.AgreementId = exactAgreement;
        var second = await s.SubmitAsync(new AggregationSpec("sum", "age"), Filter.AgeAtLeast(40));

        var firstTask = (await JobScenario.WaitForTaskAsync(s.Nodes[0], first.Id, "commitment")).Job!;
        var dpTask = (await JobScenario.WaitForTaskAsync(s.Nodes[0], dp.Id, "commitment")).Job!;
        var secondTask = (await JobScenario.WaitForTaskAsync(s.Nodes[0], second.Id, "commitment")).Job!;

        Assert.Equal((0, 1), (firstTask.Privacy!.Checks!.Prior.Count, firstTask.VectorLength));
        Assert.Null(dpTask.Privacy!.Checks);
        var prior = Assert.Single(secondTask.Privacy!.Checks!.Prior);
        Assert.Equal((first.Id, "DUO:0000006", "count"), (prior.JobId, prior.Purpose, prior.Aggregation.Kind));
        Assert.Equal(s.Cohorts.Select(c => c.Id).Order(), prior.CohortIds.Order());
        // sum, n; missing; one prior's two differences; top magnitudes, all magnitudes.
        Assert.Equal(2 + 1 + 2 + 2, secondTask.VectorLength);
        Assert.Equal(2, secondTask.Privacy.Checks.DominanceTop);
    }

    [Fact]
    public async Task ExactRelease_DifferingFromAnEarlierJobByFewerThanTheMinimum_FailsNamingIt_WhileAnEarlierJobThatFailedIsNotCompared()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var first = await s.RunAsync(new AggregationSpec("count"), [10], [7], [3]);

        // One record of the first job's selection is not in this one's (old-not-new, at the second node).
        var differing = await s.SubmitAsync(new AggregationSpec("count"), Filter.AgeAtLeast(40));
        // Submitted while the differing job may still be released, so it lists it.
        var third = await s.SubmitAsync(new AggregationSpec("count"), Filter.AgeAtLeast(50));
        await s.ContributeAllAsync(differing.Id, [10, 0, 0], [6, 0, 1], [3, 0, 0]);
        foreach (var node in s.Nodes)
        {
            (await s.ShareAsync(node, differing.Id)).EnsureSuccessStatusCode();
        }
        var refused = await s.WaitForStatusAsync(differing.Id, "failed");

        // Differs from the refused job by one record, and from the first by five: released.
        var thirdTask = (await JobScenario.WaitForTaskAsync(s.Nodes[0], third.Id, "commitment")).Job!;
        Assert.Equal([differing.Id, first.Id], thirdTask.Privacy!.Checks!.Prior.Select(p => p.JobId));
        var released = await s.RunAsync(third, [8, 0, 1, 0, 2], [6, 0, 0, 0, 1], [1, 0, 0, 0, 2]);
        var fourth = await s.SubmitAsync(new AggregationSpec("count"));
        var fourthTask = (await JobScenario.WaitForTaskAsync(s.Nodes[0], fourth.Id, "commitment")).Job!;

        Assert.Null(refused.Result);
        Assert.Contains($"differencing check: the records this job selects and those of your job {first.Id} differ by fewer than 5", refused.Failure, StringComparison.Ordinal);
        Assert.Equal(15.0, Assert.Single(released.Result!.Cells).Value);
        Assert.Equal([third.Id, first.Id], fourthTask.Privacy!.Checks!.Prior.Select(p => p.JobId));
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var failed = await scope.ServiceProvider.GetRequiredService<DragonDbContext>().AuditEvents
            .SingleAsync(e => e.Action == AuditAction.Job_Failed && e.ObjectId == differing.Id.ToString());
        Assert.Contains("\"disclosureRule\":\"differencing\"", failed.Payload.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(990, true)]
    [InlineData(800, false)]
    public async Task ExactSum_WhoseLargestValuesDominateTheTotal_IsSuppressed_WithItsMissingCount(long largest, bool dominated)
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("sum", "ct_severity"));

        // [sum, n, missing, top two, all magnitudes]: the nodes' top values make (largest + 20) of 1100; the rule's share is 0.85.
        var released = await s.RunAsync(job, [1000, 10, 2, largest, 1000], [50, 10, 2, 10, 50], [50, 10, 2, 10, 50]);

        var cell = Assert.Single(released.Result!.Cells);
        var missing = released.Result.Missing!;
        Assert.Equal(dominated, cell.Suppressed);
        Assert.Equal(dominated ? null : 1100.0, cell.Value);
        Assert.Equal(dominated ? null : 6.0, missing.Value);
        Assert.Equal(dominated, missing.Suppressed);
    }

    [Fact]
    public async Task ExactHistogram_ItsMissingCountIsACellOfTheTable_HiddenBesideTheOneSuppressedBin()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("histogram", "age", [0, 40, 60, 120]));

        // Bins 12, 3, 20 and 6 records without an age: the total less the shown bins would give the small bin if
        // the missing count were shown, so it is the partner hidden (the smallest), not the bin of 12.
        var released = await s.RunAsync(job, [4, 1, 10, 2], [4, 1, 5, 2], [4, 1, 5, 2]);

        Assert.Equal([12.0, null, 20.0], released.Result!.Cells.Select(c => c.Value));
        Assert.Equal((null, true), (released.Result.Missing!.Value, released.Result.Missing.Suppressed));
    }

    private static class Filter
    {
        public static IReadOnlyList<FilterCondition> AgeAtLeast(int age) =>
            [new FilterCondition("age", "ge", System.Text.Json.JsonSerializer.SerializeToElement(age))];
    }
}

public sealed class SqliteExactReleaseApiTests(SqliteApiFixture fixture) : ExactReleaseApiTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresExactReleaseApiTests(PostgresApiFixture fixture) : ExactReleaseApiTests(fixture), IClassFixture<PostgresApiFixture>;
