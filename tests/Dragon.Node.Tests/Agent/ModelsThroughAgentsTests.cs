using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dragon.Contracts.Access;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;
using Dragon.Contracts.Privacy;
using Dragon.Node.Cli;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Agent;

/// <summary>
/// Generalized linear models fitted by three hospitals' agents and the real platform in-process, every round's sums
/// encrypted: for each family the released table equals the pooled fit computed here in plain text over the
/// consenting, complete records of all three (coefficients to 1e-6 relative, standard errors to 1e-5, deviances and
/// AIC to 1e-6); separation, non-convergence and a small level end with a clear failure and no table; and a node
/// refuses a round whose coefficients are not the least-squares solution of the round before, failing the job.
/// </summary>
public sealed class ModelsThroughAgentsTests(PlatformHost platform) : IClassFixture<PlatformHost>, IDisposable
{
    private const string Purpose = "DUO:0000006";
    private const int PatientsPerNode = 160;

    private const string CohortJson = """
        {
          "name": "COVID admissions with CT",
          "description": "COVID-19 admissions with CT severity scores",
          "population": "Adults admitted with COVID-19, 2020-2022",
          "countries": ["NL"],
          "size": 160,
          "dataUse": ["DUO:0000042"],
          "variables": [
            { "name": "age", "label": "Age at admission", "type": "integer", "unit": "years", "min": 0, "max": 120 },
            { "name": "crp", "label": "C-reactive protein", "type": "decimal", "unit": "mg/L", "min": 0, "max": 500 },
            { "name": "ct_score", "label": "CT severity score", "type": "integer", "min": 0, "max": 25 },
            { "name": "icu", "label": "Admitted to ICU", "type": "boolean" },
            { "name": "sex", "label": "Sex", "type": "categorical", "categories": ["female", "male"] },
            { "name": "variant", "label": "Variant", "type": "categorical", "categories": ["alpha", "delta", "omicron"] },
            { "name": "died", "label": "Died in hospital", "type": "boolean" },
            { "name": "survived", "label": "Left hospital alive", "type": "boolean" },
            { "name": "days", "label": "Days on oxygen", "type": "integer", "min": 0, "max": 100 },
            { "name": "spo2", "label": "Oxygen saturation at admission", "type": "decimal", "unit": "%", "min": 50, "max": 100 }
          ]
        }
        """;

    private static readonly string[] Variables = ["age", "crp", "ct_score", "icu", "sex", "variant", "died", "survived", "days", "spo2"];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Glm_EachFamilyOverThreeAgents_EqualsThePooledPlainTextFit()
    {
        await using var consortium = await ConsortiumAsync(tamperWith: null);
        var patients = consortium.Patients.Where(p => p.Consents).ToList();

        var logistic = await consortium.FitAsync(Model("binomial", "died", ["age", "ct_score", "crp", "icu", "sex"]));
        AssertEqualsPlainFit(logistic, patients, "binomial", p => p.Died ? 1 : 0, p => [p.Age, p.CtScore, p.Crp, p.Icu ? 1 : 0, p.Sex == "male" ? 1 : 0], p => p.Crp is not null);
        Assert.Equal(["(Intercept)", "age", "ct_score", "crp", "icu", "sex=male"], logistic.Model!.Coefficients.Select(c => c.Name));

        var poisson = await consortium.FitAsync(Model("poisson", "days", ["age", "ct_score", "sex"]));
        AssertEqualsPlainFit(poisson, patients, "poisson", p => p.Days, p => [p.Age, p.CtScore, p.Sex == "male" ? 1 : 0], _ => true);

        var older = patients.Where(p => p.Age >= 40).ToList();
        var gaussian = await consortium.FitAsync(Model("gaussian", "spo2", ["age", "ct_score", "icu"]), Condition("age", "ge", 40));
        AssertEqualsPlainFit(gaussian, older, "gaussian", p => (double)p.SpO2, p => [p.Age, p.CtScore, p.Icu ? 1 : 0], _ => true);
        Assert.Equal("t", gaussian.Model!.Statistic);
        consortium.AssertAgentsClean();
    }

    [Fact]
    public async Task Glm_Separation_NonConvergence_SmallLevel_AndSteeredCoefficients_FailWithoutATable()
    {
        Guid? tampered = null;
        await using var consortium = await ConsortiumAsync(tamperWith: () => tampered);

        var separated = await consortium.FinishAsync(Model("binomial", "died", ["survived", "age"]));
        Assert.Equal("failed", separated.Status);
        Assert.Contains("separate", separated.Failure, StringComparison.Ordinal);
        Assert.Null(separated.Result);

        var cut = await consortium.FinishAsync(Model("binomial", "died", ["age", "ct_score"]) with { MaxIterations = 2 });
        Assert.Equal("failed", cut.Status);
        Assert.Contains("did not converge in 2 iterations", cut.Failure, StringComparison.Ordinal);
        Assert.Equal(2, cut.Iteration);
        Assert.Null(cut.Result);

        var small = await consortium.FinishAsync(Model("binomial", "died", ["age", "variant"]));
        Assert.Equal("failed", small.Status);
        Assert.Contains("variant=omicron has fewer than 5 records", small.Failure, StringComparison.Ordinal);
        Assert.Equal(1, small.Iteration);

        // A platform that sends other coefficients for round 1 than round 0's sums give (as it would to weigh one
        // record alone) is refused by the node it lies to, before that node computes or commits anything for the round;
        // the node reports its refusal, so the job fails at once naming it.
        var job = await consortium.SubmitAsync(Model("binomial", "died", ["age", "ct_score"]));
        tampered = job.Id;
        var refusal = $"the coefficients round 1 of model job {job.Id} asks for are not the least-squares solution of round 0's sums";
        JobResponse ended;
        while ((ended = await consortium.JobAsync(job.Id)).Status is not ("failed" or "released" or "cancelled"))
        {
            await Task.Delay(100, consortium.Stop.Token);
        }
        Assert.Contains(refusal, consortium.Nodes[0].Console.Error, StringComparison.Ordinal);
        Assert.Equal("failed", ended.Status);
        Assert.Contains($"refused the job: {refusal}", ended.Failure, StringComparison.Ordinal);
        Assert.Equal(2, ended.Iteration);
        Assert.Equal("pending", ended.Nodes.Single(n => n.NodeId == consortium.Nodes[0].NodeId).State);
        Assert.Null(ended.Result);
    }

    /// <summary>
    /// A logistic model under a differentially private agreement over 3 x 2,500 patients: six rounds, each node adding
    /// its noise share every round; the release charges six rounds, states each estimate's noise scale, and each estimate
    /// is the pooled plain-text fit within five of its noise scales (a correct scale fails this about once in 1.7 million
    /// per coefficient), yet not equal to it: the noise is really there.
    /// </summary>
    [Fact]
    public async Task PrivateLogisticModel_OverThreeAgents_LandsWithinItsNoiseScaleOfThePooledFit()
    {
        await using var consortium = await ConsortiumAsync(tamperWith: null, ReleaseModes.Dp, patientsPerNode: 2500);
        var patients = consortium.Patients.Where(p => p.Consents).ToList();

        var result = await consortium.FitAsync(new AggregationSpec("glm", Family: "binomial", Outcome: "died", Covariates: ["ct_score", "icu", "sex"]));

        var (beta, _) = PlainFit([.. patients.Select(p => ((double[])[1, p.CtScore, p.Icu ? 1 : 0, p.Sex == "male" ? 1 : 0], p.Died ? 1.0 : 0.0))], "binomial");
        var table = result.Model!;
        Assert.Equal((ReleaseModes.Dp, 6 * 0.02), (result.ReleaseMode, result.Rho!.Value));
        Assert.Equal(6, table.Iterations);
        for (var j = 0; j < beta.Length; j++)
        {
            var coefficient = table.Coefficients[j];
            Assert.True(coefficient.NoiseScale > 0, $"{coefficient.Name} states no noise scale.");
            Assert.True(Math.Abs(coefficient.Estimate - beta[j]) <= 5 * coefficient.NoiseScale,
                string.Create(CultureInfo.InvariantCulture, $"{coefficient.Name}: released {coefficient.Estimate}, the plain fit {beta[j]}, noise scale {coefficient.NoiseScale}."));
        }
        Assert.Contains(table.Coefficients.Select((c, j) => Math.Abs(c.Estimate - beta[j]) / Math.Abs(beta[j])), difference => difference > 1e-9);
        // The records are a noisy count too: its noise has a standard deviation of about 29 here.
        Assert.InRange(table.Records, patients.Count - 150, patients.Count + 150);
        consortium.AssertAgentsClean();
    }

    private static AggregationSpec Model(string family, string outcome, string[] covariates) =>
        new("glm", Family: family, Outcome: outcome, Covariates: covariates, Tolerance: 1e-10);

    /// <summary>The released table against the pooled fit computed here (<see cref="PlainFit"/>).</summary>
    private static void AssertEqualsPlainFit(
        JobResult result, List<Patient> patients, string family, Func<Patient, double> outcome, Func<Patient, double?[]> covariates, Func<Patient, bool> complete)
    {
        var rows = patients.Where(complete).Select(p => (X: (double[])[1, .. covariates(p).Select(v => v!.Value)], Y: outcome(p))).ToList();
        var n = rows.Count;
        var k = rows[0].X.Length;
        var (beta, _) = PlainFit(rows, family);
        double Mean(double[] x)
        {
            var eta = x.Zip(beta, (a, b) => a * b).Sum();
            return family switch { "binomial" => 1 / (1 + Math.Exp(-eta)), "poisson" => Math.Exp(eta), _ => eta };
        }
        static double XLogXOverY(double x, double y) => x == 0 ? 0 : x * Math.Log(x / y);
        double Deviance(Func<double[], double> mean) => rows.Sum(r => family switch
        {
            "binomial" => 2 * (XLogXOverY(r.Y, mean(r.X)) + XLogXOverY(1 - r.Y, 1 - mean(r.X))),
            "poisson" => 2 * (XLogXOverY(r.Y, mean(r.X)) - (r.Y - mean(r.X))),
            _ => (r.Y - mean(r.X)) * (r.Y - mean(r.X)),
        });
        // The information at the estimate, as the table's standard errors use it.
        var information = new double[k, k];
        foreach (var (x, _) in rows)
        {
            var mu = Mean(x);
            var w = family switch { "binomial" => mu * (1 - mu), "poisson" => mu, _ => 1 };
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j < k; j++)
                {
                    information[i, j] += w * x[i] * x[j];
                }
            }
        }
        var deviance = Deviance(Mean);
        var dispersion = family == "gaussian" ? deviance / (n - k) : 1;
        var covariance = Invert(information);
        var meanOutcome = rows.Average(r => r.Y);
        var nullDeviance = Deviance(_ => meanOutcome);
        var aic = family switch
        {
            "binomial" => deviance + (2 * k),
            "poisson" => (-2 * rows.Sum(r => (r.Y * Math.Log(Mean(r.X))) - Mean(r.X) - LogFactorial((int)r.Y))) + (2 * k),
            _ => (n * (Math.Log(2 * Math.PI * deviance / n) + 1)) + 2 + (2 * k),
        };

        var table = result.Model;
        Assert.NotNull(table);
        Assert.Equal("glm", result.Kind);
        Assert.Empty(result.Cells);
        Assert.Equal(family, table.Family);
        Assert.Equal(n, table.Records);
        Assert.Equal(n - k, table.ResidualDegreesOfFreedom);
        Assert.Equal(n - 1, table.NullDegreesOfFreedom);
        Assert.InRange(table.Iterations, 2, 25);
        AssertRelative(deviance, table.Deviance, 1e-6, "deviance");
        AssertRelative(nullDeviance, table.NullDeviance, 1e-6, "null deviance");
        AssertRelative(aic, table.Aic, 1e-6, "AIC");
        AssertRelative(dispersion, table.Dispersion, 1e-6, "dispersion");
        Assert.Equal(k, table.Coefficients.Count);
        for (var i = 0; i < k; i++)
        {
            var coefficient = table.Coefficients[i];
            var error = Math.Sqrt(dispersion * covariance[i, i]);
            AssertRelative(beta[i], coefficient.Estimate, 1e-6, $"{coefficient.Name} estimate");
            AssertRelative(error, coefficient.StandardError, 1e-5, $"{coefficient.Name} standard error");
            AssertRelative(beta[i] / error, coefficient.Statistic, 1e-5, $"{coefficient.Name} statistic");
            var p = family == "gaussian" ? Distributions.StudentTwoSided(beta[i] / error, n - k) : Distributions.NormalTwoSided(beta[i] / error);
            Assert.Equal(p, coefficient.PValue, Math.Max(1e-12, p * 1e-4));
            var half = (family == "gaussian" ? Distributions.StudentQuantile(0.975, n - k) : 1.959963984540054) * error;
            AssertRelative(beta[i] - half, coefficient.Interval.Low, 1e-5, $"{coefficient.Name} interval");
            AssertRelative(beta[i] + half, coefficient.Interval.High, 1e-5, $"{coefficient.Name} interval");
        }
    }

    /// <summary>
    /// The pooled fit computed here: iteratively reweighted least squares with the family's canonical link, iterated
    /// until the coefficients stop changing, solved by Gauss-Jordan elimination.
    /// </summary>
    private static (double[] Beta, double[,] Information) PlainFit(List<(double[] X, double Y)> rows, string family)
    {
        var k = rows[0].X.Length;
        var beta = new double[k];
        double[,] information = new double[k, k];
        for (var iteration = 0; iteration < 200; iteration++)
        {
            information = new double[k, k];
            var score = new double[k];
            foreach (var (x, y) in rows)
            {
                var eta = x.Zip(beta, (a, b) => a * b).Sum();
                var mu = family switch
                {
                    "binomial" => 1 / (1 + Math.Exp(-eta)),
                    "poisson" => Math.Exp(eta),
                    _ => eta,
                };
                var w = family switch { "binomial" => mu * (1 - mu), "poisson" => mu, _ => 1 };
                var z = eta + ((y - mu) / w);
                for (var i = 0; i < k; i++)
                {
                    score[i] += w * z * x[i];
                    for (var j = 0; j < k; j++)
                    {
                        information[i, j] += w * x[i] * x[j];
                    }
                }
            }
            var next = Multiply(Invert(information), score);
            var change = next.Zip(beta, (a, b) => Math.Abs(a - b) / (1 + Math.Abs(a))).Max();
            beta = next;
            if (change < 1e-15 && iteration > 2)
            {
                break;
            }
        }
        return (beta, information);
    }

    private static void AssertRelative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Abs(expected),
            string.Create(CultureInfo.InvariantCulture, $"{what}: released {actual:R}, the plain fit gives {expected:R} (relative tolerance {tolerance})."));

    private static double LogFactorial(int n) => Enumerable.Range(2, Math.Max(0, n - 1)).Sum(i => Math.Log(i));

    private static double[] Multiply(double[,] a, double[] v) =>
        [.. Enumerable.Range(0, v.Length).Select(i => Enumerable.Range(0, v.Length).Sum(j => a[i, j] * v[j]))];

    private static double[,] Invert(double[,] matrix)
    {
        var k = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var inverse = new double[k, k];
        for (var i = 0; i < k; i++)
        {
            inverse[i, i] = 1;
        }
        for (var column = 0; column < k; column++)
        {
            var pivot = Enumerable.Range(column, k - column).MaxBy(r => Math.Abs(a[r, column]));
            for (var j = 0; j < k; j++)
            {
                (a[column, j], a[pivot, j]) = (a[pivot, j], a[column, j]);
                (inverse[column, j], inverse[pivot, j]) = (inverse[pivot, j], inverse[column, j]);
            }
            var scale = a[column, column];
            for (var j = 0; j < k; j++)
            {
                a[column, j] /= scale;
                inverse[column, j] /= scale;
            }
            for (var row = 0; row < k; row++)
            {
                if (row == column)
                {
                    continue;
                }
                var factor = a[row, column];
                for (var j = 0; j < k; j++)
                {
                    a[row, j] -= factor * a[column, j];
                    inverse[row, j] -= factor * inverse[column, j];
                }
            }
        }
        return inverse;
    }

    private static FilterCondition Condition(string variable, string op, object value) =>
        new(variable, op, JsonSerializer.SerializeToElement(value, DragonJson.Options));

    /// <summary>Three hospitals with agents running, an agreement for models on every variable, and a ready key set.</summary>
    /// <param name="tamperWith">When it names a job, the first node is shown that job's round 1 with one coefficient changed.</param>
    private async Task<Consortium> ConsortiumAsync(Func<Guid?>? tamperWith, string releaseMode = ReleaseModes.Exact, int patientsPerNode = PatientsPerNode)
    {
        using var admin = await platform.AdminAsync();
        var (stewardId, steward) = await platform.NewUserAsync("DataSteward");
        var (_, researcher) = await platform.NewUserAsync("Researcher");
        var nodes = new List<ModelNode>();
        var patients = new List<Patient>();
        for (var i = 0; i < 3; i++)
        {
            var state = _temp.Combine($"state-{Guid.NewGuid():N}");
            var hospital = Patient.Generate(new Random(101 + i), patientsPerNode, omicron: i == 0 ? 2 : 0);
            patients.AddRange(hospital);
            var (nodeId, cohortId) = await platform.JoinAsync(_temp, state, CohortJson, cohortId => string.Concat(
                hospital.Select(p => $"{p.Subject},{cohortId},DUO:0000042,{(p.Consents ? "granted" : "withdrawn")}\n")));
            (await admin.PostAsJsonAsync($"/api/v1/cohorts/{cohortId}/stewards", new AddStewardRequest(stewardId), DragonJson.Options)).EnsureSuccessStatusCode();
            var data = _temp.File($"data-{Guid.NewGuid():N}.csv", Patient.CsvHeader + "\n" + string.Concat(hospital.Select(p => p.CsvLine + "\n")));
            Func<HttpMessageHandler> handler = i == 0 && tamperWith is not null ? () => new TamperingHandler(platform.Handler(), tamperWith) : platform.Handler;
            nodes.Add(new ModelNode(nodeId, cohortId, ["run", "--state", state, "--data", $"{cohortId}={data}", "--poll-seconds", "0.2"], new TestConsole(handler)));
        }
        await platform.PinPeersAsync(nodes.Select(n => n.Run[2]));
        var cohorts = nodes.Select(n => n.CohortId).ToList();
        var (agreementId, keySet) = await PlatformJobs.AgreementAndKeySetAsync(researcher, steward, new AccessRequestBody(
            "Outcome models", Purpose, cohorts, Variables, ["glm"], "Which patients need intensive care or die.", 30), nodes.Select(n => n.NodeId), releaseMode);
        var stop = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        var runs = nodes.Select(n => NodeCli.RunAsync(n.Run, n.Console.Console, stop.Token)).ToList();
        steward.Dispose();
        await PlatformJobs.WaitForReadyAsync(researcher, keySet.Id, stop.Token);
        return new Consortium(researcher, agreementId, keySet.Id, cohorts, nodes, patients, stop, runs);
    }

    private sealed record ModelNode(Guid NodeId, Guid CohortId, string[] Run, TestConsole Console);

    private sealed record Consortium(
        HttpClient Researcher, Guid AgreementId, Guid KeySetId, List<Guid> Cohorts, List<ModelNode> Nodes, List<Patient> Patients, CancellationTokenSource Stop, List<Task<int>> Runs)
        : IAsyncDisposable
    {
        public async Task<JobResult> FitAsync(AggregationSpec model, params FilterCondition[] filter)
        {
            var job = await FinishAsync(model, filter);
            Assert.True(job.Status == "released", $"Job {job.Id} is {job.Status}: {job.Failure} | {string.Join(" | ", Nodes.Select(n => n.Console.Error))}");
            Assert.Equal(job.Result!.Model!.Iterations, job.Iteration);
            return job.Result;
        }

        public Task<JobResponse> FinishAsync(AggregationSpec model, params FilterCondition[] filter) =>
            PlatformJobs.FinishAsync(Researcher, new JobRequest(AgreementId, KeySetId, Cohorts, filter, model), Stop.Token);

        public async Task<JobResponse> SubmitAsync(AggregationSpec model)
        {
            using var submitted = await Researcher.PostAsJsonAsync("/api/v1/jobs", new JobRequest(AgreementId, KeySetId, Cohorts, [], model), DragonJson.Options, Stop.Token);
            Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync(Stop.Token));
            return (await submitted.Content.ReadFromJsonAsync<JobResponse>(DragonJson.Options, Stop.Token))!;
        }

        public async Task<JobResponse> JobAsync(Guid id) =>
            (await Researcher.GetFromJsonAsync<JobResponse>($"/api/v1/jobs/{id}", DragonJson.Options, Stop.Token))!;

        public void AssertAgentsClean() =>
            Assert.All(Nodes, n => Assert.DoesNotContain("Refused", n.Console.Error, StringComparison.Ordinal));

        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            Assert.All(await Task.WhenAll(Runs), code => Assert.Equal(NodeCli.Succeeded, code));
            Stop.Dispose();
            Researcher.Dispose();
        }
    }

    /// <summary>The platform as one node sees it when the platform lies: round 1 of the chosen job with its second coefficient doubled.</summary>
    private sealed class TamperingHandler(HttpMessageHandler inner, Func<Guid?> job) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath != "/api/v1/nodes/me/tasks" || !response.IsSuccessStatusCode || job() is not { } target)
            {
                return response;
            }
            var tasks = (await response.Content.ReadFromJsonAsync<List<NodeTask>>(DragonJson.Options, cancellationToken))!;
            var changed = tasks.Select(t => t.JobId == target && t.Round == 1 && t.Job?.Model is { } model
                ? t with { Job = t.Job with { Model = model with { Coefficients = [.. model.Coefficients.Select((b, i) => i == 1 ? b * 2 : b)] } } }
                : t).ToList();
            response.Content = JsonContent.Create(changed, options: DragonJson.Options);
            return response;
        }
    }

    /// <summary>A patient with outcomes drawn from known models, so each family's fit has a clear signal.</summary>
    internal sealed record Patient(
        string Subject, bool Consents, int Age, double? Crp, int CtScore, bool Icu, string Sex, string Variant, bool Died, int Days, decimal SpO2)
    {
        public const string CsvHeader = "subject_ref,age,crp,ct_score,icu,sex,variant,died,survived,days,spo2";

        public string CsvLine => string.Create(CultureInfo.InvariantCulture,
            $"{Subject},{Age},{Crp:0.00},{CtScore},{Flag(Icu)},{Sex},{Variant},{Flag(Died)},{Flag(!Died)},{Days},{SpO2:0.0}");

        private static string Flag(bool value) => value ? "true" : "false";

        public static List<Patient> Generate(Random random, int count, int omicron) => [.. Enumerable.Range(0, count).Select(i =>
        {
            var age = random.Next(25, 95);
            var ct = random.Next(0, 26);
            var icu = random.NextDouble() < 0.1 + (ct / 60.0);
            var crp = random.NextDouble() < 0.05 ? (double?)null : Math.Round(5 + (random.NextDouble() * 250), 2);
            var sex = random.Next(2) == 0 ? "female" : "male";
            var eta = -7.5 + (0.06 * age) + (0.12 * ct) + (0.004 * (crp ?? 100)) + (icu ? 0.9 : 0) + (sex == "male" ? 0.3 : 0);
            var died = random.NextDouble() < 1 / (1 + Math.Exp(-eta));
            var days = Poisson(random, Math.Exp(0.2 + (0.012 * age) + (0.05 * ct) + (sex == "male" ? 0.15 : 0)));
            var spo2 = Math.Round((decimal)(99 - (0.04 * age) - (0.25 * ct) - (icu ? 1.5 : 0) + Normal(random)), 1);
            var variant = i < omicron ? "omicron" : random.Next(2) == 0 ? "alpha" : "delta";
            return new Patient($"pt-{Guid.NewGuid():N}", random.NextDouble() > 0.1, age, crp, ct, icu, sex, variant, died, days, spo2);
        })];

        private static int Poisson(Random random, double mean)
        {
            var limit = Math.Exp(-mean);
            var (k, product) = (0, random.NextDouble());
            while (product > limit)
            {
                k++;
                product *= random.NextDouble();
            }
            return k;
        }

        private static double Normal(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
