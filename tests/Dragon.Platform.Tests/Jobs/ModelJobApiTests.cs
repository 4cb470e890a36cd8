using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;
using Dragon.Platform.Audit;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Dragon.Platform.Tests.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>
/// A linear model through the API, the test playing three nodes with the real engine: each round is a job cycle of its
/// own (commit, reveal, sum, decrypt) at the coefficients its manifest names; the rounds after the first carry the
/// previous round's aggregate and every share of it; an upload signed for an earlier round is refused; each round has
/// its audit event; and the released table is ordinary least squares computed here in closed form, under N-of-N and
/// under 2-of-3 key sets (where a round is decrypted by its subset, whose shares alone the next round carries).
/// </summary>
public abstract class ModelJobApiTests(ApiFixture fixture)
{
    /// <summary>Each node's (age, CRP) pairs: CRP is modelled on age.</summary>
    private static readonly (int Age, double Crp)[][] Rows =
    [
        [(34, 12.5), (51, 40.25), (67, 88.0), (72, 95.5), (45, 20.0), (58, 61.75), (80, 120.0), (29, 8.5)],
        [(41, 30.0), (63, 70.5), (55, 52.25), (76, 101.0), (38, 15.75), (69, 90.0), (48, 33.5)],
        [(60, 66.0), (33, 10.25), (71, 99.5), (52, 45.0), (44, 28.75), (85, 130.5), (39, 22.0), (66, 79.25), (57, 58.5)],
    ];

    [Theory]
    [InlineData(null)]
    [InlineData(2)]
    public async Task LinearModel_RunsRoundAfterRound_AndReleasesTheLeastSquaresTable(int? threshold)
    {
        var s = await JobScenario.CreateAsync(fixture.Factory, threshold: threshold);
        var job = await s.SubmitAsync(new AggregationSpec("glm", Family: "gaussian", Outcome: "crp", Covariates: ["age"], Tolerance: 1e-10));
        Assert.Equal(1, job.Iteration);
        Assert.Equal("identity", job.Aggregation.Link);
        Assert.Equal(GlmIteration.DefaultMaxIterations, job.Aggregation.MaxIterations);

        NodeTask? roundZero = null;
        string? roundZeroAggregate = null;
        for (var round = 0; ; round++)
        {
            var task = await JobScenario.WaitForTaskAsync(s.Nodes[0], job.Id, "commitment");
            Assert.Equal(round, task.Round);
            Assert.Equal(round, task.Job!.Model!.Round);
            if (round == 0)
            {
                roundZero = task;
                Assert.Null(task.PriorRound);
                Assert.All(task.Job.Model.Coefficients, b => Assert.Equal(0, b));
            }
            else
            {
                Assert.NotNull(task.PriorRound);
                // Every member's share under N-of-N; under 2-of-3 those of the round's decryption subset.
                Assert.Equal(threshold ?? s.Nodes.Count, task.PriorRound.Shares.Count);
                Assert.Equal(task.PriorRound.Shares.Select(sh => sh.NodeId).Order(), task.PriorRound.Shares.Select(sh => sh.NodeId));
                if (round == 1)
                {
                    Assert.Equal(roundZeroAggregate, task.PriorRound.Aggregate);
                    // Node 0's round-0 commitment, replayed into round 1, is signed for the wrong round and manifest.
                    var replayed = await s.Nodes[0].Client.PostAsJsonAsync($"/api/v1/jobs/{job.Id}/commitments",
                        JobScenario.Commitment(s.Nodes[0], roundZero!, SHA256.HashData([1, 2, 3])), DragonJson.Options);
                    Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
                }
            }
            var model = task.Job.Model;
            await s.CommitAllAsync(job.Id, [.. Rows.Select(rows => RoundVector(rows, model))]);
            foreach (var node in s.Nodes)
            {
                (await s.RevealAsync(node, job.Id)).EnsureSuccessStatusCode();
            }
            var decryption = await JobScenario.WaitForTaskAsync(s.Nodes, job.Id, "decryptionShare");
            roundZeroAggregate ??= decryption.Aggregate;
            foreach (var node in s.Nodes.Where(n => decryption.DecryptionSubset is not { } subset || subset.Contains(n.Credentials.NodeId)))
            {
                (await s.ShareAsync(node, job.Id)).EnsureSuccessStatusCode();
            }
            var after = await s.WaitForAsync(job.Id, j => j.Status is "released" or "failed" || (j.Status == "committing" && j.Iteration == round + 2), $"past round {round}");
            Assert.NotEqual("failed", after.Status);
            if (after.Status == "released")
            {
                job = after;
                break;
            }
            Assert.True(round < 5, $"A linear model should converge in three rounds; it is in round {after.Iteration}.");
        }

        var all = Rows.SelectMany(r => r).ToList();
        var n = all.Count;
        var meanAge = all.Average(r => r.Age);
        var meanCrp = all.Average(r => r.Crp);
        var sxx = all.Sum(r => (r.Age - meanAge) * (r.Age - meanAge));
        var slope = all.Sum(r => (r.Age - meanAge) * (r.Crp - meanCrp)) / sxx;
        var intercept = meanCrp - (slope * meanAge);
        var rss = all.Sum(r => Math.Pow(r.Crp - intercept - (slope * r.Age), 2));
        var sigma2 = rss / (n - 2);
        var table = job.Result!.Model!;
        Assert.Equal(3, table.Iterations);
        Assert.Equal(3, job.Iteration);
        Assert.Equal(n, table.Records);
        Assert.Equal("t", table.Statistic);
        Assert.Equal(intercept, table.Coefficients[0].Estimate, Math.Abs(intercept) * 1e-8);
        Assert.Equal(slope, table.Coefficients[1].Estimate, Math.Abs(slope) * 1e-8);
        Assert.Equal(Math.Sqrt(sigma2 * ((1.0 / n) + (meanAge * meanAge / sxx))), table.Coefficients[0].StandardError, 1e-6);
        Assert.Equal(Math.Sqrt(sigma2 / sxx), table.Coefficients[1].StandardError, 1e-8);
        Assert.Equal(rss, table.Deviance, rss * 1e-8);
        Assert.Equal(all.Sum(r => Math.Pow(r.Crp - meanCrp, 2)), table.NullDeviance, 1e-4);
        Assert.Equal(s.Nodes.Select(nd => nd.Credentials.NodeId).Order(), job.Result.Contributors);

        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var rounds = await scope.ServiceProvider.GetRequiredService<DragonDbContext>().AuditEvents
            .Where(e => e.ObjectId == job.Id.ToString() && e.Action == AuditAction.Job_RoundCompleted).CountAsync();
        Assert.Equal(2, rounds);

        var session = await PortalSession.SignInAsync(fixture.Factory, s.Researcher.User.Email, TestAccounts.Password);
        var page = await session.Client.GetStringAsync($"/portal/jobs/{job.Id}");
        Assert.Contains("Linear regression of crp on age", page, StringComparison.Ordinal);
        Assert.Contains($"<th scope=\"row\">age</th>", page, StringComparison.Ordinal);
        Assert.Contains(JobText(slope), page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_UnderADifferentiallyPrivateAgreement_IsRefusedAtSubmission()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        var agreementId = await s.NewAgreementAsync(Dragon.Contracts.Privacy.ReleaseModes.Dp);

        using var response = await s.Researcher.Client.PostAsJsonAsync("/api/v1/jobs", new JobRequest(agreementId, s.KeySetId, [.. s.Cohorts.Select(c => c.Id)], null,
            new AggregationSpec("glm", Family: "gaussian", Outcome: "crp", Covariates: ["age"])), DragonJson.Options);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("aggregation.kind", problem.GetRawText(), StringComparison.Ordinal);
    }

    private static string JobText(double value) => Dragon.Platform.Api.Features.Portal.JobText.Estimate(value);

    /// <summary>A node's numbers of one round of crp ~ age (<see cref="GlmLayout"/>): identity link, so weight 1 and working response crp.</summary>
    private static long[] RoundVector((int Age, double Crp)[] rows, GlmProgress model)
    {
        var layout = new GlmLayout(2, 0);
        var reals = new double[layout.Length];
        foreach (var (age, crp) in rows)
        {
            double[] x = [1, age];
            var fitted = model.Coefficients[0] + (model.Coefficients[1] * age);
            for (var i = 0; i < 2; i++)
            {
                for (var j = i; j < 2; j++)
                {
                    reals[layout.InformationAt(i, j)] += x[i] * x[j];
                }
                reals[layout.Score + i] += crp * x[i];
            }
            reals[layout.Deviance] += (crp - fitted) * (crp - fitted);
            reals[layout.NullWeight] += 1;
            reals[layout.NullScore] += crp;
            reals[layout.NullDeviance] += (crp - model.NullCoefficient) * (crp - model.NullCoefficient);
        }
        var vector = reals.Select(v => (long)Math.Round(v * GlmLayout.Scale)).ToArray();
        vector[GlmLayout.Records] = rows.Length;
        return vector;
    }
}

public sealed class SqliteModelJobApiTests(SqliteApiFixture fixture) : ModelJobApiTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresModelJobApiTests(PostgresApiFixture fixture) : ModelJobApiTests(fixture), IClassFixture<PostgresApiFixture>;
