using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Jobs;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>Encrypted aggregation jobs through HTTP, Hangfire and the real engine, with the test playing three nodes.</summary>
public abstract class JobApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task CountJob_ReleasesThePooledCount()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);

        var job = await s.RunAsync(new AggregationSpec("count"), [10], [7], [3]);

        var cell = Assert.Single(job.Result!.Cells);
        Assert.Equal((20.0, false), (cell.Value, cell.Suppressed));
        Assert.All(job.Nodes, n => Assert.Equal("sharesubmitted", n.State));
    }

    [Fact]
    public async Task ConcurrentUploads_FromAllNodes_StillMoveTheJobToRelease()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        foreach (var node in s.Nodes)
        {
            await JobScenario.WaitForTaskAsync(node, job.Id, "commitment");
        }

        var commitments = await Task.WhenAll(s.Nodes.Select(node => s.CommitAsync(node, job.Id, [6])));
        Assert.All(commitments, response => response.EnsureSuccessStatusCode());
        var contributions = await Task.WhenAll(s.Nodes.Select(node => s.RevealAsync(node, job.Id)));
        Assert.All(contributions, response => response.EnsureSuccessStatusCode());
        var shares = await Task.WhenAll(s.Nodes.Select(node => s.ShareAsync(node, job.Id)));
        Assert.All(shares, response => response.EnsureSuccessStatusCode());

        var released = await s.WaitForStatusAsync(job.Id, "released");
        Assert.Equal(18.0, Assert.Single(released.Result!.Cells).Value);
    }

    [Fact]
    public async Task VarianceJob_OfADecimalVariable_DecodesFixedPoint()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        decimal[][] crp = [[1.5m, 2.25m, 10m], [4m, 4m], [7.75m, 0.5m, 3m, 3m]];
        long[] Vector(decimal[] values) => [(long)(values.Sum() * 100), (long)(values.Sum(v => v * v) * 10_000), values.Length];
        var all = crp.SelectMany(v => v).Select(v => (double)v).ToArray();
        var mean = all.Average();
        var expected = all.Sum(v => (v - mean) * (v - mean)) / (all.Length - 1);

        var job = await s.RunAsync(new AggregationSpec("variance", "crp"), [.. crp.Select(Vector)]);

        Assert.Equal(expected, Assert.Single(job.Result!.Cells).Value!.Value, 9);
    }

    [Fact]
    public async Task HistogramJob_SuppressesSmallCellsAndOneMoreSoTheyCannotBeRecovered()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);

        var job = await s.RunAsync(new AggregationSpec("histogram", "age", [0, 40, 60, 80, 120]), [4, 1, 3, 10], [4, 1, 3, 5], [4, 1, 3, 5]);

        var cells = job.Result!.Cells;
        Assert.Equal(["[0,40)", "[40,60)", "[60,80)", "[80,120)"], cells.Select(c => c.Group["age"]));
        Assert.Equal([12.0, null, null, 20.0], cells.Select(c => c.Value));
        Assert.Equal([false, true, true, false], cells.Select(c => c.Suppressed));
    }

    [Fact]
    public async Task NodeThatMissesTheDeadline_FailsTheJobNamingIt()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        (await s.CommitAsync(s.Nodes[0], job.Id, [5])).EnsureSuccessStatusCode();
        (await s.CommitAsync(s.Nodes[1], job.Id, [5])).EnsureSuccessStatusCode();
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
            var stored = await db.Jobs.FindAsync(job.Id);
            db.Entry(stored!).Property(j => j.Deadline).CurrentValue = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
            await scope.ServiceProvider.GetRequiredService<JobEngine>().EnforceDeadlinesAsync(default);
        }

        var failed = await s.WaitForStatusAsync(job.Id, "failed");

        var missing = await (await s.Nodes[2].Client.GetAsync($"/api/v1/nodes/{s.Nodes[2].Credentials.NodeId}")).ReadAsAsync<Dragon.Contracts.Nodes.NodeResponse>(HttpStatusCode.OK);
        Assert.Contains(missing.Name, failed.Failure, StringComparison.Ordinal);
        Assert.Contains("missed the deadline (commitment)", failed.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contributions_AreIdempotent_AndBadOrForeignUploadsAreRefused()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var outsider = await fixture.Factory.Accounts.EnrollNodeAsync();
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        await s.CommitAllAsync(job.Id, [5]);

        var garbage = await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/contributions", new ContributionUpload(Convert.ToBase64String(new byte[500])), DragonJson.Options);
        var foreign = await outsider.Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/contributions", new ContributionUpload("AAAA"), DragonJson.Options);
        var first = await s.RevealAsync(s.Nodes[0], job.Id);

        await garbage.AssertProblemAsync(HttpStatusCode.BadRequest);
        await foreign.AssertProblemAsync(HttpStatusCode.NotFound);
        first.EnsureSuccessStatusCode();
        var again = await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/contributions", new ContributionUpload(Encrypt(s, 6)), DragonJson.Options);
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Contribution_BeforeEveryNodeHasCommitted_IsRefusedAsTheWrongStep()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        (await s.CommitAsync(s.Nodes[0], job.Id, [5])).EnsureSuccessStatusCode();
        (await s.CommitAsync(s.Nodes[1], job.Id, [5])).EnsureSuccessStatusCode();

        var early = await (await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/contributions", s.Contributions[(s.Nodes[0].Credentials.NodeId, job.Id)], DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("job.not_collecting", early.GetProperty("code").GetString());
        var read = await s.WaitForStatusAsync(job.Id, "committing");
        Assert.Equal(["committed", "committed", "pending"], read.Nodes.Select(n => n.State).Order());
    }

    [Fact]
    public async Task Commitment_ToACancelledJob_IsRefusedAsTheWrongStep()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        var task = await JobScenario.WaitForTaskAsync(s.Nodes[0], job.Id, "commitment");
        (await s.Researcher.Client.PostAsync($"/api/v1/jobs/{job.Id}/cancel", null)).EnsureSuccessStatusCode();

        var problem = await (await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/commitments",
                JobScenario.Commitment(s.Nodes[0], task, Convert.FromBase64String(Encrypt(s, 5))), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("job.not_committing", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task NodeRefusal_FailsTheJobAtOnce_NamingTheNodeAndItsReason_AndIsAudited()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        await JobScenario.WaitForTaskAsync(s.Nodes[1], job.Id, "commitment");
        var path = $"/api/v1/jobs/{job.Id}/refusals";
        var outsider = await fixture.Factory.Accounts.EnrollNodeAsync();

        await (await outsider.Client.PostAsJsonAsync(path, new JobRefusal(0, "not mine"), DragonJson.Options)).AssertProblemAsync(HttpStatusCode.NotFound);
        var invalid = await (await s.Nodes[1].Client.PostAsJsonAsync(path, new JobRefusal(null, " ", "minSites; DROP"), DragonJson.Options)).AssertProblemAsync(HttpStatusCode.BadRequest);
        var stale = await (await s.Nodes[1].Client.PostAsJsonAsync(path, new JobRefusal(1, "a later round"), DragonJson.Options)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("committing", (await s.WaitForAsync(job.Id, _ => true, "the job")).Status);
        var refused = await (await s.Nodes[1].Client.PostAsJsonAsync(path, new JobRefusal(0, "this node's policy requires at least 4 sites.", "minSites"), DragonJson.Options))
            .ReadAsAsync<NodeJobResponse>(HttpStatusCode.OK);
        var again = await (await s.Nodes[1].Client.PostAsJsonAsync(path, new JobRefusal(0, "again"), DragonJson.Options)).AssertProblemAsync(HttpStatusCode.Conflict);
        var failed = await s.WaitForAsync(job.Id, j => j.Status == "failed", "the job failed by the refusal");

        Assert.NotEmpty(invalid.FieldErrors("reason"));
        Assert.NotEmpty(invalid.FieldErrors("round"));
        Assert.NotEmpty(invalid.FieldErrors("rule"));
        Assert.Equal("job.other_round", stale.GetProperty("code").GetString());
        Assert.Equal("failed", refused.Status);
        Assert.Equal("job.finished", again.GetProperty("code").GetString());
        Assert.StartsWith("Node ", failed.Failure, StringComparison.Ordinal);
        Assert.EndsWith("refused the job: this node's policy requires at least 4 sites.", failed.Failure, StringComparison.Ordinal);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        var audited = await db.AuditEvents.SingleAsync(e => e.ObjectId == job.Id.ToString() && e.Action == Dragon.Platform.Audit.AuditAction.Job_Failed);
        Assert.Equal(s.Nodes[1].Credentials.NodeId.ToString(), audited.ActorId);
        Assert.Contains("\"rule\":\"minSites\"", audited.Payload, StringComparison.Ordinal);
        Assert.Equal(0, (await db.Jobs.SingleAsync(j => j.Id == job.Id)).BudgetCharged);
    }

    [Fact]
    public async Task AgreementPastItsExpiry_StopsHandingOutItsTasksAtOnce_AndTheExpiryCancelsItsJobs()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        await JobScenario.WaitForTaskAsync(s.Nodes[0], job.Id, "commitment");
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        await db.Agreements.Where(a => a.Id == s.AgreementId).ExecuteUpdateAsync(set => set.SetProperty(a => a.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));

        var tasks = await (await s.Nodes[0].Client.GetAsync("/api/v1/nodes/me/tasks")).ReadAsAsync<List<NodeTask>>(HttpStatusCode.OK);
        await scope.ServiceProvider.GetRequiredService<Dragon.Platform.Access.Agreements>().ExpireAsync(default);
        var cancelled = await s.WaitForAsync(job.Id, j => j.Status != "committing", "the job ended by the expiry");

        Assert.DoesNotContain(tasks, t => t.JobId == job.Id);
        Assert.Equal(("cancelled", "The agreement expired."), (cancelled.Status, cancelled.Failure));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.ObjectId == job.Id.ToString() && e.Action == Dragon.Platform.Audit.AuditAction.Job_Cancelled));
    }

    [Fact]
    public async Task NodeWithMoreTasksThanOnePollCarries_GetsTheOldestFirst_AndTheRestAsItFinishesThem()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var jobs = new List<JobResponse>();
        for (var i = 0; i < JobNodeTasks.MaxTasks + 1; i++)
        {
            if (i == JobNodeTasks.MaxTasks / 2)
            {
                // Every release is charged to its agreement's budget: the second half runs under a second agreement.
                s.AgreementId = await s.NewAgreementAsync();
            }
            jobs.Add(await s.SubmitAsync(new AggregationSpec("count")));
        }
        foreach (var job in jobs)
        {
            await s.WaitForStatusAsync(job.Id, "committing");
        }

        var first = await (await s.Nodes[0].Client.GetAsync("/api/v1/nodes/me/tasks")).ReadAsAsync<List<NodeTask>>(HttpStatusCode.OK);
        (await s.CommitAsync(s.Nodes[0], jobs[0].Id, [1])).EnsureSuccessStatusCode();
        var next = await (await s.Nodes[0].Client.GetAsync("/api/v1/nodes/me/tasks")).ReadAsAsync<List<NodeTask>>(HttpStatusCode.OK);

        Assert.Equal(jobs.Take(JobNodeTasks.MaxTasks).Select(j => j.Id), first.Select(t => t.JobId!.Value));
        Assert.Equal(jobs.Skip(1).Select(j => j.Id), next.Select(t => t.JobId!.Value));
    }

    [Fact]
    public async Task Contribution_ThatIsNotTheCiphertextCommittedTo_IsRefusedAndStoresNothing()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        await s.CommitAllAsync(job.Id, [5]);

        var problem = await (await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/contributions", new ContributionUpload(Encrypt(s, 5)), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("committed to", Assert.Single(problem.FieldErrors("ciphertext")), StringComparison.Ordinal);
        (await s.RevealAsync(s.Nodes[0], job.Id)).EnsureSuccessStatusCode();
    }

    [Theory]
    [InlineData("unsigned")]
    [InlineData("signed by another node")]
    [InlineData("signed for another job's manifest")]
    [InlineData("signed for another ciphertext")]
    [InlineData("digest not hex")]
    public async Task Commitment_WithoutItsNodesSignatureForThisManifest_IsRefusedAndStoresNothing(string kind)
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        var other = await s.SubmitAsync(new AggregationSpec("sum", "age"));
        var task = await JobScenario.WaitForTaskAsync(s.Nodes[0], job.Id, "commitment");
        var otherTask = await JobScenario.WaitForTaskAsync(s.Nodes[0], other.Id, "commitment");
        var ciphertext = Convert.FromBase64String(Encrypt(s, 5));
        var honest = JobScenario.Commitment(s.Nodes[0], task, ciphertext);
        var upload = kind switch
        {
            "unsigned" => honest with { Signature = null },
            "signed by another node" => honest with { Signature = JobScenario.Commitment(s.Nodes[1], task, ciphertext).Signature },
            "signed for another job's manifest" => honest with { Signature = JobScenario.Commitment(s.Nodes[0], otherTask with { JobId = job.Id }, ciphertext).Signature },
            "signed for another ciphertext" => honest with { Signature = JobScenario.Commitment(s.Nodes[0], task, Convert.FromBase64String(Encrypt(s, 6))).Signature },
            _ => honest with { Digest = "not a digest" },
        };

        var problem = await (await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/commitments", upload, DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors(kind == "digest not hex" ? "digest" : "signature"));
        var read = await s.WaitForStatusAsync(job.Id, "committing");
        Assert.All(read.Nodes, n => Assert.Equal("pending", n.State));
        (await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/commitments", honest, DragonJson.Options)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task CommitmentTasks_ShowEveryParticipantTheSameManifest_AndRevealTasksCarryEverySignedCommitment()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        var tasks = new List<NodeTask>();
        foreach (var node in s.Nodes)
        {
            tasks.Add(await JobScenario.WaitForTaskAsync(node, job.Id, "commitment"));
        }

        Assert.Single(tasks.Select(t => Convert.ToHexStringLower(JobManifests.Digest(t.Job!))).Distinct());
        var manifest = tasks[0].Job!;
        Assert.Equal((job.Id, s.KeySetId), (manifest.JobId, manifest.KeySetId));
        Assert.Equal([.. s.Nodes.Select(n => n.Credentials.NodeId).Order()], manifest.Participants);
        Assert.Equal([.. s.Cohorts.Select(c => c.Id)], manifest.CohortIds);
        foreach (var node in s.Nodes)
        {
            (await s.CommitAsync(node, job.Id, [1])).EnsureSuccessStatusCode();
        }
        var reveal = await JobScenario.WaitForTaskAsync(s.Nodes[2], job.Id, "contribution");
        Assert.Equal(manifest.Participants, reveal.Commitments!.Select(c => c.NodeId));
        foreach (var commitment in reveal.Commitments!)
        {
            var node = s.Nodes.Single(n => n.Credentials.NodeId == commitment.NodeId);
            var ciphertext = Convert.FromBase64String(s.Contributions[(node.Credentials.NodeId, job.Id)].Ciphertext!);
            Assert.Equal(JobScenario.Commitment(node, reveal, ciphertext).Digest, commitment.Digest);
            Assert.True(Dragon.Contracts.Nodes.IdentityKeys.Verify(node.Identity.ExportSubjectPublicKeyInfo(),
                SignedStatements.Commitment(job.Id, 0, s.KeySetId, node.Credentials.NodeId, JobManifests.Digest(manifest), SHA256.HashData(ciphertext)),
                Convert.FromBase64String(commitment.Signature)));
        }
    }

    [Fact]
    public async Task Contribution_AsBinary_IsTakenLikeItsJsonForm_AndAnotherMediaTypeIsRefused()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        await s.CommitAllAsync(job.Id, [4], [5], [6]);
        await JobScenario.WaitForTaskAsync(s.Nodes[0], job.Id, "contribution");

        using var text = new StringContent("not a ciphertext", System.Text.Encoding.UTF8, "text/plain");
        var refused = await s.Nodes[0].Client.PostAsync($"/api/v1/jobs/{job.Id}/contributions", text);
        using var empty = new ByteArrayContent([]);
        empty.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(CiphertextFrames.MediaType);
        var nothing = await s.Nodes[0].Client.PostAsync($"/api/v1/jobs/{job.Id}/contributions", empty);
        using var binary = new ByteArrayContent(Convert.FromBase64String(s.Contributions[(s.Nodes[0].Credentials.NodeId, job.Id)].Ciphertext!));
        binary.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(CiphertextFrames.MediaType);
        var taken = await (await s.Nodes[0].Client.PostAsync($"/api/v1/jobs/{job.Id}/contributions", binary)).ReadAsAsync<NodeJobResponse>(HttpStatusCode.OK);

        await refused.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.NotEmpty((await nothing.AssertProblemAsync(HttpStatusCode.BadRequest)).FieldErrors("ciphertext"));
        Assert.Equal("contributed", taken.State);
        foreach (var node in s.Nodes.Skip(1))
        {
            (await s.RevealAsync(node, job.Id)).EnsureSuccessStatusCode();
        }
        await JobScenario.WaitForTaskAsync(s.Nodes[0], job.Id, "decryptionShare");
    }

    [Fact]
    public async Task DecryptionTask_IsLean_AndItsContributionsComeAsBinary_ToTheJobsNodesWhileItDecrypts()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        await s.CommitAllAsync(job.Id, [4], [5], [6]);
        var early = await s.Nodes[0].Client.GetAsync($"/api/v1/jobs/{job.Id}/contributions");
        foreach (var node in s.Nodes)
        {
            (await s.RevealAsync(node, job.Id)).EnsureSuccessStatusCode();
        }
        var task = await JobScenario.WaitForTaskAsync(s.Nodes[0], job.Id, "decryptionShare");
        var outsider = await fixture.Factory.Accounts.EnrollNodeAsync();

        var contributions = await JobScenario.ContributionsAsync(s.Nodes[0], job.Id);

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Null(task.Contributions);
        Assert.Equal(task.Commitments!.Select(c => c.Digest).Order(), contributions.Select(c => Convert.ToHexStringLower(SHA256.HashData(c))).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Client.GetAsync($"/api/v1/jobs/{job.Id}/contributions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Researcher.Client.GetAsync($"/api/v1/jobs/{job.Id}/contributions")).StatusCode);
    }

    [Fact]
    public async Task DecryptionShare_WithoutItsNodesSignature_IsRefused()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        await s.ContributeAllAsync(job.Id, [4], [4], [4]);
        var task = await JobScenario.WaitForTaskAsync(s.Nodes[0], job.Id, "decryptionShare");
        var aggregate = Dragon.Homomorphic.CiphertextVector.ReadFrom(Convert.FromBase64String(task.Aggregate!), s.Parameters);
        var protocol = new Dragon.Homomorphic.DecryptionShareProtocol(s.Parameters, partyCount: 3, ciphertextCount: 3);
        var share = protocol.GenShareNew(s.Secrets[s.Nodes[0].Credentials.NodeId], aggregate).ToArray();

        var unsigned = await (await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/decryption-shares",
            new DecryptionShareUpload(Convert.ToBase64String(share)), DragonJson.Options)).AssertProblemAsync(HttpStatusCode.BadRequest);
        var foreign = await (await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/decryption-shares",
            JobScenario.SignedShare(s.Nodes[1], task, share), DragonJson.Options)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(unsigned.FieldErrors("signature"));
        Assert.NotEmpty(foreign.FieldErrors("signature"));
        (await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/decryption-shares", JobScenario.SignedShare(s.Nodes[0], task, share), DragonJson.Options))
            .EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task KeySet_ThatReachesItsDecryptionLifetime_IsRetired_AndRefusesFurtherJobs()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            var max = scope.ServiceProvider.GetRequiredService<KeySets>().MaxDecryptedParts;
            await scope.ServiceProvider.GetRequiredService<DragonDbContext>().KeySets.Where(k => k.Id == s.KeySetId)
                .ExecuteUpdateAsync(set => set.SetProperty(k => k.DecryptedParts, max - 1));
        }

        await s.SubmitAsync(new AggregationSpec("count"));
        var problem = await (await s.Researcher.Client.PostAsJsonAsync("/api/v1/jobs",
                new JobRequest(s.AgreementId, s.KeySetId, [.. s.Cohorts.Select(c => c.Id)], null, new AggregationSpec("count")), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(problem.FieldErrors("keySetId"), e => e.Contains("retired", StringComparison.Ordinal));
        var keySet = await (await s.Steward.Client.GetAsync($"/api/v1/key-sets/{s.KeySetId}")).ReadAsAsync<KeySetResponse>(HttpStatusCode.OK);
        Assert.Equal(("Retired", keySet.MaxDecryptedParts), (keySet.Status, keySet.DecryptedParts));
    }

    [Fact]
    public async Task NodeRepeatingItsUpload_AfterTheRelease_IsToldTheStepButNeverTheResult()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.RunAsync(new AggregationSpec("count"), [10], [7], [3]);

        var again = await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/contributions", s.Contributions[(s.Nodes[0].Credentials.NodeId, job.Id)], DragonJson.Options);

        var body = await again.ReadAsAsync<System.Text.Json.JsonElement>(HttpStatusCode.OK);
        Assert.Equal(["jobId", "status", "state"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("released", "sharesubmitted"), (body.GetProperty("status").GetString(), body.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Contribution_LargerThanTheJobsVectorCanBe_IsRefusedBeforeParsing()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        await s.CommitAllAsync(job.Id, [5]);
        var tooLong = Dragon.Homomorphic.CiphertextVector.MaxBinarySize(s.Parameters, 1) + 1;

        var problem = await (await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/contributions",
                new ContributionUpload(Convert.ToBase64String(new byte[tooLong])), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("at most", Assert.Single(problem.FieldErrors("ciphertext")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecryptionShare_ThatSumsSeveralNodesShares_IsRefused_AndTheJobStillReleases()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        await s.ContributeAllAsync(job.Id, [4], [4], [4]);
        var task = await JobScenario.WaitForTaskAsync(s.Nodes[0], job.Id, "decryptionShare");
        var aggregate = Dragon.Homomorphic.CiphertextVector.ReadFrom(Convert.FromBase64String(task.Aggregate!), s.Parameters);
        var protocol = new Dragon.Homomorphic.DecryptionShareProtocol(s.Parameters, partyCount: 3, ciphertextCount: 3);
        var two = protocol.AggregateSharesNew(s.Nodes.Take(2).Select(n => protocol.GenShareNew(s.Secrets[n.Credentials.NodeId], aggregate)));

        var problem = await (await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/decryption-shares",
                new DecryptionShareUpload(Convert.ToBase64String(two.ToArray())), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("share"));
        foreach (var node in s.Nodes)
        {
            (await s.ShareAsync(node, job.Id)).EnsureSuccessStatusCode();
        }
        Assert.Equal(12.0, Assert.Single((await s.WaitForStatusAsync(job.Id, "released")).Result!.Cells).Value);
    }

    [Fact]
    public async Task CohortEditedWhileTheJobRuns_TheReleaseKeepsTheLayoutOfTheSubmission()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("crosstab", GroupBy: ["sex"]));
        await s.ContributeAllAsync(job.Id, [3, 9], [4, 8], [5, 7]);
        var edited = Catalogue.CohortSamples.Valid(Catalogue.CohortSamples.UniqueTag(), dataUse: "DUO:0000042") with
        {
            Variables = [new Dragon.Contracts.Catalogue.VariableDefinition("sex", "Sex", "categorical", null, ["male", "female", "other"])],
        };
        using (var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/cohorts/{s.Cohorts[0].Id}") { Content = JsonContent.Create(edited, options: DragonJson.Options) })
        {
            put.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
            (await s.Nodes[0].Client.SendAsync(put)).EnsureSuccessStatusCode();
        }
        foreach (var node in s.Nodes)
        {
            (await s.ShareAsync(node, job.Id)).EnsureSuccessStatusCode();
        }

        var released = await s.WaitForStatusAsync(job.Id, "released");

        Assert.Equal([("female", 12.0), ("male", 24.0)], released.Result!.Cells.Select(c => (c.Group["sex"], c.Value!.Value)));
    }

    [Fact]
    public async Task Job_OutsideTheAgreement_IsRefused()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);

        var problem = await (await s.Researcher.Client.PostAsJsonAsync("/api/v1/jobs",
                new JobRequest(s.AgreementId, s.KeySetId, [.. s.Cohorts.Select(c => c.Id)], null, new AggregationSpec("sum", "admitted_on")), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("aggregation.variable"));
    }

    [Fact]
    public async Task Submission_ChargesTheCostOfOneReleaseToTheAgreement_AndTheReleaseNothingMore()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);

        var job = await s.SubmitAsync(new AggregationSpec("count"));
        var charged = await AgreementAsync(s);
        await s.ContributeAllAsync(job.Id, [1], [2], [3]);
        foreach (var node in s.Nodes)
        {
            (await s.ShareAsync(node, job.Id)).EnsureSuccessStatusCode();
        }
        await s.WaitForStatusAsync(job.Id, "released");
        var released = await AgreementAsync(s);

        Assert.Equal(0.02, charged.BudgetSpent, 1e-12);
        Assert.Equal(0.98, charged.BudgetLeft, 1e-12);
        Assert.Equal(0.02, released.BudgetSpent, 1e-12);
    }

    [Fact]
    public async Task Submit_WhenTheBudgetCannotPayForIt_IsRefusedWith409NamingWhatIsLeft_AndACancelledJobGivesItsChargeBack()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        await SetAgreementSpentAsync(s, 0.96);
        await s.SubmitAsync(new AggregationSpec("count"));
        var running = await s.SubmitAsync(new AggregationSpec("count"));

        var problem = await (await s.Researcher.Client.PostAsJsonAsync("/api/v1/jobs",
                new JobRequest(s.AgreementId, s.KeySetId, [.. s.Cohorts.Select(c => c.Id)], null, new AggregationSpec("count")), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("agreement.budget_spent", problem.GetProperty("code").GetString());
        Assert.Contains("costs 0.02 and 0 is left", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1.0, (await AgreementAsync(s)).BudgetSpent, 1e-12);
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            var refusal = await scope.ServiceProvider.GetRequiredService<DragonDbContext>().AuditEvents
                .SingleAsync(e => e.Action == Dragon.Platform.Audit.AuditAction.Job_Refused && e.ObjectId == s.AgreementId.ToString());
            Assert.Contains("agreementBudget", refusal.Payload, StringComparison.Ordinal);
        }
        (await s.Researcher.Client.PostAsync($"/api/v1/jobs/{running.Id}/cancel", null)).EnsureSuccessStatusCode();
        Assert.Equal(0.98, (await AgreementAsync(s)).BudgetSpent, 1e-12);
        await s.SubmitAsync(new AggregationSpec("count"));
    }

    [Fact]
    public async Task Job_ThatFailsAfterADecryptionShare_KeepsItsCharge_AndOneThatFailsBefore_GivesItBack()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var early = await s.SubmitAsync(new AggregationSpec("count"));
        var late = await s.SubmitAsync(new AggregationSpec("count"));
        await s.ContributeAllAsync(late.Id, [1], [1], [1]);
        (await s.ShareAsync(s.Nodes[0], late.Id)).EnsureSuccessStatusCode();

        await ExpireDeadlinesAsync(early.Id, late.Id);
        await s.WaitForStatusAsync(early.Id, "failed");
        await s.WaitForStatusAsync(late.Id, "failed");

        Assert.Equal(0.02, (await AgreementAsync(s)).BudgetSpent, 1e-12);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        Assert.All(await db.ResearcherCohortBudgets.Where(b => b.ResearcherId == s.Researcher.User.Id).ToListAsync(), b => Assert.Equal(0.02, b.Spent, 1e-12));
    }

    [Fact]
    public async Task ResearcherCohortCap_IsSharedByEveryAgreement_AndRefusesExactlyAtTheCap()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var cap = fixture.Factory.Services.GetRequiredService<Dragon.Platform.Access.DisclosurePolicy>().ResearcherCohortBudget;
        await s.SubmitAsync(new AggregationSpec("count"));
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DragonDbContext>().ResearcherCohortBudgets
                .Where(b => b.ResearcherId == s.Researcher.User.Id && b.CohortId == s.Cohorts[1].Id)
                .ExecuteUpdateAsync(set => set.SetProperty(b => b.Spent, cap - 0.02));
        }
        var fresh = await s.NewAgreementAsync();

        await (await s.Researcher.Client.PostAsJsonAsync("/api/v1/jobs",
            new JobRequest(fresh, s.KeySetId, [.. s.Cohorts.Select(c => c.Id)], null, new AggregationSpec("count")), DragonJson.Options)).ReadAsAsync<JobResponse>(HttpStatusCode.Accepted);
        var refused = await (await s.Researcher.Client.PostAsJsonAsync("/api/v1/jobs",
                new JobRequest(fresh, s.KeySetId, [.. s.Cohorts.Select(c => c.Id)], null, new AggregationSpec("count")), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("researcher.cohort_budget_spent", refused.GetProperty("code").GetString());
        Assert.Contains($"cohort '{s.Cohorts[1].Name}'", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("0 is left", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var agreement = await (await s.Researcher.Client.GetAsync($"/api/v1/agreements/{fresh}")).ReadAsAsync<Dragon.Contracts.Access.AgreementResponse>(HttpStatusCode.OK);
        Assert.Equal(0.02, agreement.BudgetSpent, 1e-12);
    }

    [Fact]
    public async Task JobList_IsPaged_NewestFirst_AndHoldsOnlyTheCallersJobs()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var first = await s.SubmitAsync(new AggregationSpec("count"));
        var second = await s.SubmitAsync(new AggregationSpec("count"));
        var stranger = await fixture.Factory.Accounts.NewUserAsync(Dragon.Platform.Identity.DragonRoles.Researcher);

        var page = await (await s.Researcher.Client.GetAsync("/api/v1/jobs?page=1&pageSize=1")).ReadAsAsync<Paged<JobResponse>>(HttpStatusCode.OK);
        var next = await (await s.Researcher.Client.GetAsync("/api/v1/jobs?page=2&pageSize=1")).ReadAsAsync<Paged<JobResponse>>(HttpStatusCode.OK);
        var none = await (await stranger.Client.GetAsync("/api/v1/jobs")).ReadAsAsync<Paged<JobResponse>>(HttpStatusCode.OK);

        Assert.Equal((2, 1, second.Id), (page.Total, page.PageSize, page.Items.Single().Id));
        Assert.Equal(first.Id, next.Items.Single().Id);
        Assert.Equal(0, none.Total);
        await (await s.Researcher.Client.GetAsync("/api/v1/jobs?pageSize=500")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Job_OverOnlySomeNodesOfTheKeySet_IsRefused()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);

        var problem = await (await s.Researcher.Client.PostAsJsonAsync("/api/v1/jobs",
                new JobRequest(s.AgreementId, s.KeySetId, [s.Cohorts[0].Id, s.Cohorts[1].Id], null, new AggregationSpec("count")), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(problem.FieldErrors("cohortIds"), message => message.Contains("every node of the key set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RevokingTheAgreement_CancelsItsRunningJob()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));

        (await s.Steward.Client.PostAsync($"/api/v1/agreements/{s.AgreementId}/revoke", null)).EnsureSuccessStatusCode();

        var cancelled = await s.WaitForStatusAsync(job.Id, "cancelled");
        Assert.Equal("The agreement was revoked.", cancelled.Failure);
    }

    private static async Task<Dragon.Contracts.Access.AgreementResponse> AgreementAsync(JobScenario s) =>
        await (await s.Researcher.Client.GetAsync($"/api/v1/agreements/{s.AgreementId}")).ReadAsAsync<Dragon.Contracts.Access.AgreementResponse>(HttpStatusCode.OK);

    private async Task SetAgreementSpentAsync(JobScenario s, double spent)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DragonDbContext>().Agreements.Where(a => a.Id == s.AgreementId)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.BudgetSpent, spent));
    }

    private async Task ExpireDeadlinesAsync(params Guid[] jobIds)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DragonDbContext>().Jobs.Where(j => jobIds.Contains(j.Id))
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.Deadline, DateTimeOffset.UtcNow.AddMinutes(-1)));
        await scope.ServiceProvider.GetRequiredService<JobEngine>().EnforceDeadlinesAsync(default);
    }

    private static string Encrypt(JobScenario s, long value) =>
        Convert.ToBase64String(Dragon.Homomorphic.CiphertextVector.Encrypt(new Dragon.Homomorphic.Encryptor(s.Parameters, s.PublicKey),
            new Dragon.Homomorphic.IntegerEncoder(s.Parameters), [value]).ToArray());
}

public sealed class SqliteJobApiTests(SqliteApiFixture fixture) : JobApiTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresJobApiTests(PostgresApiFixture fixture) : JobApiTests(fixture), IClassFixture<PostgresApiFixture>;
