using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dragon.Contracts.Access;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;
using Dragon.Contracts.Privacy;
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
            var decryption = await RunRoundAsync(s, job.Id, task.Job.Model);
            roundZeroAggregate ??= decryption.Aggregate;
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
    public async Task PrivateModel_RunsItsRoundsWithoutATolerance_ChargesEveryRound_AndReleasesEachEstimatesNoiseScale()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory, bounded: true);
        s.AgreementId = await s.NewAgreementAsync(ReleaseModes.Dp);
        var job = await s.SubmitAsync(new AggregationSpec("glm", Family: "gaussian", Outcome: "crp", Covariates: ["age"]));
        Assert.Equal((2, (double?)null), (job.Aggregation.MaxIterations, job.Aggregation.Tolerance));
        var agreement = await (await s.Researcher.Client.GetAsync($"/api/v1/agreements/{s.AgreementId}")).ReadAsAsync<AgreementResponse>(HttpStatusCode.OK);
        Assert.Equal(2 * 0.02, agreement.BudgetSpent, 1e-12);

        JobTaskSpec? last = null;
        for (var round = 0; round < 2; round++)
        {
            var task = await JobScenario.WaitForTaskAsync(s.Nodes[0], job.Id, "commitment");
            Assert.Equal((round, new JobPrivacy(ReleaseModes.Dp, 0.02)), (task.Job!.Model!.Round, task.Job.Privacy));
            last = task.Job;
            // The test's nodes add no noise: the released estimates are then the exact least-squares fit.
            await RunRoundAsync(s, job.Id, task.Job.Model);
        }
        var released = await s.WaitForStatusAsync(job.Id, "released");

        var all = Rows.SelectMany(r => r).ToList();
        var (n, sx, sxx) = ((double)all.Count, all.Sum(r => (double)r.Age), all.Sum(r => (double)r.Age * r.Age));
        var slope = ((n * all.Sum(r => r.Age * r.Crp)) - (sx * all.Sum(r => r.Crp))) / ((n * sxx) - (sx * sx));
        var intercept = (all.Sum(r => r.Crp) - (slope * sx)) / n;
        var table = released.Result!.Model!;
        Assert.Equal((ReleaseModes.Dp, 2 * 0.02), (released.Result.ReleaseMode, released.Result.Rho!.Value));
        Assert.Equal(2, table.Iterations);
        Assert.Equal(intercept, table.Coefficients[0].Estimate, Math.Abs(intercept) * 1e-8);
        Assert.Equal(slope, table.Coefficients[1].Estimate, Math.Abs(slope) * 1e-8);

        // The noise scale of the last step d = (H + N)^-1 (U + n) ~ H^-1 (U + n - N d), H = X'X, worked out here for two
        // parameters from the variances the nodes calibrated the last round to: C = var(n) + var(N d), and H^-1 C H^-1.
        var variances = NoiseCalibration.TotalVariances(last!.Aggregation, JobManifests.VariablesOf(last), 0.02, 3, 3, last.Model);
        var layout = new GlmLayout(2, 0);
        double V(int slot) => variances[slot] / (GlmLayout.Scale * GlmLayout.Scale);
        // d is the last round's step: from the coefficients it was at to the released ones.
        var (b0, b1) = (table.Coefficients[0].Estimate - last.Model!.Coefficients[0], table.Coefficients[1].Estimate - last.Model.Coefficients[1]);
        var (v00, v01, v11) = (V(layout.InformationAt(0, 0)), V(layout.InformationAt(0, 1)), V(layout.InformationAt(1, 1)));
        var c = new[,]
        {
            { V(layout.Score) + (v00 * b0 * b0) + (v01 * b1 * b1), v01 * b0 * b1 },
            { v01 * b0 * b1, V(layout.Score + 1) + (v01 * b0 * b0) + (v11 * b1 * b1) },
        };
        var determinant = (n * sxx) - (sx * sx);
        var inverse = new[,] { { sxx / determinant, -sx / determinant }, { -sx / determinant, n / determinant } };
        for (var j = 0; j < 2; j++)
        {
            var expected = 0.0;
            for (var a = 0; a < 2; a++)
            {
                for (var b = 0; b < 2; b++)
                {
                    expected += inverse[j, a] * c[a, b] * inverse[b, j];
                }
            }
            var coefficient = table.Coefficients[j];
            Assert.True(expected > 0);
            Assert.Equal(Math.Sqrt(expected), coefficient.NoiseScale!.Value, Math.Sqrt(expected) * 1e-6);
            var uncertainty = Math.Sqrt((coefficient.StandardError * coefficient.StandardError) + (expected));
            Assert.Equal(coefficient.Estimate / uncertainty, coefficient.Statistic, 1e-6 * Math.Abs(coefficient.Statistic));
            Assert.True(coefficient.Interval.High - coefficient.Interval.Low > 2 * 1.96 * uncertainty);
        }

        var session = await PortalSession.SignInAsync(fixture.Factory, s.Researcher.User.Email, TestAccounts.Password);
        var page = await session.Client.GetStringAsync($"/portal/jobs/{job.Id}");
        Assert.Contains("<th scope=\"col\" class=\"number\">Noise scale</th>", page, StringComparison.Ordinal);
        Assert.Contains($"<td class=\"number noise\">{JobText(table.Coefficients[1].NoiseScale!.Value)}</td>", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("identity", "ct_severity", "'ct_severity' has no declared bounds")]
    [InlineData("log", "age", "canonical link (identity) only")]
    public async Task PrivateModel_OfAnUnboundedCovariateOrANonCanonicalLink_IsRefusedAtSubmission(string link, string covariate, string reason)
    {
        var s = await JobScenario.CreateAsync(fixture.Factory, bounded: true);
        var agreementId = await s.NewAgreementAsync(ReleaseModes.Dp);

        using var response = await s.Researcher.Client.PostAsJsonAsync("/api/v1/jobs", new JobRequest(agreementId, s.KeySetId, [.. s.Cohorts.Select(c => c.Id)], null,
            new AggregationSpec("glm", Family: "gaussian", Link: link, Outcome: "crp", Covariates: [covariate])), DragonJson.Options);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(reason, Assert.Single(problem.FieldErrors("aggregation")), StringComparison.Ordinal);
        var agreement = await (await s.Researcher.Client.GetAsync($"/api/v1/agreements/{agreementId}")).ReadAsAsync<AgreementResponse>(HttpStatusCode.OK);
        Assert.Equal(0, agreement.BudgetSpent);
    }

    /// <summary>One round played by the test's nodes: each commits to and reveals its vector at the round's coefficients, and the decrypting nodes give their shares.</summary>
    private static async Task<NodeTask> RunRoundAsync(JobScenario s, Guid jobId, GlmProgress model)
    {
        await s.CommitAllAsync(jobId, [.. Rows.Select(rows => RoundVector(rows, model))]);
        foreach (var node in s.Nodes)
        {
            (await s.RevealAsync(node, jobId)).EnsureSuccessStatusCode();
        }
        var decryption = await JobScenario.WaitForTaskAsync(s.Nodes, jobId, "decryptionShare");
        foreach (var node in s.Nodes.Where(n => decryption.DecryptionSubset is not { } subset || subset.Contains(n.Credentials.NodeId)))
        {
            (await s.ShareAsync(node, jobId)).EnsureSuccessStatusCode();
        }
        return decryption;
    }

    private static string JobText(double value) => Dragon.Platform.Api.Features.Portal.JobText.Estimate(value);

    /// <summary>A node's numbers of one round of crp ~ age (<see cref="GlmLayout"/>): identity link, so weight 1 and score x (crp - fitted).</summary>
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
                reals[layout.Score + i] += (crp - fitted) * x[i];
            }
            reals[layout.Deviance] += (crp - fitted) * (crp - fitted);
            reals[layout.NullWeight] += 1;
            reals[layout.NullScore] += crp - model.NullCoefficient;
            reals[layout.NullDeviance] += (crp - model.NullCoefficient) * (crp - model.NullCoefficient);
        }
        var vector = reals.Select(v => (long)Math.Round(v * GlmLayout.Scale)).ToArray();
        vector[GlmLayout.Records] = rows.Length;
        return vector;
    }
}

public sealed class SqliteModelJobApiTests(SqliteApiFixture fixture) : ModelJobApiTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresModelJobApiTests(PostgresApiFixture fixture) : ModelJobApiTests(fixture), IClassFixture<PostgresApiFixture>;
