using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Jobs;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>
/// Jobs under a 2-of-4 key set through HTTP (the policy's minSites is 3): deadlines that pass leave late nodes out
/// while enough remain, a late member of the decryption subset is replaced by another contributor, and the release
/// is the sum of exactly the contributors' vectors.
/// </summary>
public abstract class ThresholdJobApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task NodesMissingTheCommitmentAndDecryptionDeadlines_AreLeftOut_AndTheOthersSumIsReleased()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory, nodes: 4, threshold: 2);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        Assert.Equal(3, (await JobScenario.WaitForTaskAsync(s.Nodes[0], job.Id, "commitment")).Job!.MinContributors);
        var offline = s.Nodes[3];
        for (var i = 0; i < 3; i++)
        {
            (await s.CommitAsync(s.Nodes[i], job.Id, [10 + i])).EnsureSuccessStatusCode();
        }
        await ExpireDeadlineAsync(job.Id);
        foreach (var node in s.Nodes.Take(3))
        {
            (await s.RevealAsync(node, job.Id)).EnsureSuccessStatusCode();
        }
        var first = await JobScenario.WaitForTaskAsync(s.Nodes.Take(3), job.Id, "decryptionShare");
        var subset = first.DecryptionSubset!;
        Assert.Equal(2, subset.Count);
        var (answering, late) = (s.Nodes.Single(n => n.Credentials.NodeId == subset[0]), s.Nodes.Single(n => n.Credentials.NodeId == subset[1]));
        var standing = s.Nodes.Take(3).Single(n => !subset.Contains(n.Credentials.NodeId));
        Assert.Equal(HttpStatusCode.Conflict, (await UploadStaleShareAsync(s, standing, first)).StatusCode);
        (await s.ShareAsync(answering, job.Id)).EnsureSuccessStatusCode();
        await ExpireDeadlineAsync(job.Id);

        var second = await JobScenario.WaitForTaskAsync(standing, job.Id, "decryptionShare");
        Assert.Equal(new[] { answering.Credentials.NodeId, standing.Credentials.NodeId }.Order(), second.DecryptionSubset!);
        (await s.ShareAsync(answering, job.Id)).EnsureSuccessStatusCode();
        (await s.ShareAsync(standing, job.Id)).EnsureSuccessStatusCode();
        var released = await s.WaitForStatusAsync(job.Id, "released");

        Assert.Equal(10 + 11 + 12, released.Result!.Cells.Single().Value);
        Assert.Equal(s.Nodes.Take(3).Select(n => n.Credentials.NodeId).Order(), released.Result.Contributors!);
        Assert.Equal("commitment", released.Nodes.Single(n => n.NodeId == offline.Credentials.NodeId).Missed);
        Assert.Equal("decryption share", released.Nodes.Single(n => n.NodeId == late.Credentials.NodeId).Missed);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var leftOut = await scope.ServiceProvider.GetRequiredService<DragonDbContext>().AuditEvents
            .Where(e => e.ObjectId == job.Id.ToString() && e.Action == Dragon.Platform.Audit.AuditAction.Job_NodesLeftOut).CountAsync();
        Assert.Equal(2, leftOut);
    }

    [Fact]
    public async Task NodeRefusingItsCommitment_IsLeftOutWhileEnoughRemain_TheNextRefusalFailsTheJob()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory, nodes: 4, threshold: 2);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        await JobScenario.WaitForTaskAsync(s.Nodes[3], job.Id, "commitment");
        var refusing = s.Nodes[3];

        var leftOut = await (await refusing.Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/refusals",
            new JobRefusal(0, "job: the researcher is denied (deny.researchers) by this node's policy.", "deny.researchers"), Dragon.Contracts.Common.DragonJson.Options))
            .ReadAsAsync<NodeJobResponse>(HttpStatusCode.OK);
        for (var i = 0; i < 3; i++)
        {
            (await s.CommitAsync(s.Nodes[i], job.Id, [10 + i])).EnsureSuccessStatusCode();
        }
        foreach (var node in s.Nodes.Take(3))
        {
            (await s.RevealAsync(node, job.Id)).EnsureSuccessStatusCode();
        }
        var collected = await s.WaitForAsync(job.Id, j => j.Status == "decrypting", "the job decrypting without the refusing node");

        Assert.Equal("committing", leftOut.Status);
        Assert.Equal("refused", collected.Nodes.Single(n => n.NodeId == refusing.Credentials.NodeId).Missed);
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            var audited = await scope.ServiceProvider.GetRequiredService<DragonDbContext>().AuditEvents
                .SingleAsync(e => e.ObjectId == job.Id.ToString() && e.Action == Dragon.Platform.Audit.AuditAction.Job_NodesLeftOut);
            Assert.Equal(refusing.Credentials.NodeId.ToString(), audited.ActorId);
            Assert.Contains("\"rule\":\"deny.researchers\"", audited.Payload, StringComparison.Ordinal);
        }

        var second = await s.SubmitAsync(new AggregationSpec("count"));
        await JobScenario.WaitForTaskAsync(s.Nodes[3], second.Id, "commitment");
        (await refusing.Client.PostAsJsonAsync($"/api/v1/jobs/{second.Id}/refusals", new JobRefusal(0, "no"), Dragon.Contracts.Common.DragonJson.Options)).EnsureSuccessStatusCode();
        var alsoRefusing = await (await s.Nodes[2].Client.PostAsJsonAsync($"/api/v1/jobs/{second.Id}/refusals", new JobRefusal(0, "nor I"), Dragon.Contracts.Common.DragonJson.Options))
            .ReadAsAsync<NodeJobResponse>(HttpStatusCode.OK);

        Assert.Equal("failed", alsoRefusing.Status);
        Assert.EndsWith("refused the job: nor I", (await s.WaitForStatusAsync(second.Id, "failed")).Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FewerThanTheMinimumCommitted_TheJobFailsNamingTheLateNodes()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory, nodes: 4, threshold: 2);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        (await s.CommitAsync(s.Nodes[0], job.Id, [1])).EnsureSuccessStatusCode();
        (await s.CommitAsync(s.Nodes[1], job.Id, [1])).EnsureSuccessStatusCode();

        await ExpireDeadlineAsync(job.Id);

        var failed = await s.WaitForStatusAsync(job.Id, "failed");
        Assert.Contains("missed the deadline (commitment); 2 node(s) remain and the job needs 3", failed.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobUnderAThresholdKeySet_WithFewerCohortsThanTheMinimum_IsRefused()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory, nodes: 4, threshold: 2);

        var response = await s.Researcher.Client.PostAsJsonAsync("/api/v1/jobs",
            new JobRequest(s.AgreementId, s.KeySetId, [.. s.Cohorts.Take(2).Select(c => c.Id)], null, new AggregationSpec("count")), Dragon.Contracts.Common.DragonJson.Options);

        Assert.Contains("at least 3 of its nodes", Assert.Single((await response.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("cohortIds")), StringComparison.Ordinal);
    }

    /// <summary>A node not in the subset uploads a share anyway, signed for the subset the task named.</summary>
    private static Task<HttpResponseMessage> UploadStaleShareAsync(JobScenario s, TestAccounts.EnrolledNode node, NodeTask task) =>
        node.Client.PostAsJsonAsync($"/api/v1/jobs/{task.JobId}/decryption-shares",
            JobScenario.SignedShare(node, task, Convert.FromBase64String(task.Aggregate!)[..64]), Dragon.Contracts.Common.DragonJson.Options);

    private async Task ExpireDeadlineAsync(Guid jobId)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DragonDbContext>().Jobs.Where(j => j.Id == jobId)
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.Deadline, DateTimeOffset.UtcNow.AddMinutes(-1)));
        await scope.ServiceProvider.GetRequiredService<JobEngine>().EnforceDeadlinesAsync(default);
    }
}

public sealed class SqliteThresholdJobApiTests(SqliteApiFixture fixture) : ThresholdJobApiTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresThresholdJobApiTests(PostgresApiFixture fixture) : ThresholdJobApiTests(fixture), IClassFixture<PostgresApiFixture>;
