using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;
using Dragon.Node.Jobs;

namespace Dragon.Node.Tests.Jobs;

/// <summary>The hospital's own <c>policy.json</c>: stricter than the platform, read when a job arrives.</summary>
public sealed class NodePolicyTests
{
    [Fact]
    public async Task MinSites_AboveTheJobsParticipants_RefusesTheCommitment_AndTakesEffectWithoutARestart()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName), """{ "minSites": 4 }""");
        var refused = node.Manifest();

        await node.ServeAsync(node.CommitmentTask(refused));
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName), NodeUnderAttack.ExactAllowed);
        var accepted = node.Manifest();
        await node.ServeAsync(node.CommitmentTask(accepted));

        Assert.Null(node.OwnCommitment(refused.JobId));
        Assert.Contains($"Refused: job {refused.JobId} has 3 participating sites; this node's policy requires at least 4 (minSites).", node.Log, StringComparison.Ordinal);
        Assert.NotNull(node.OwnCommitment(accepted.JobId));
    }

    [Fact]
    public async Task ExactRelease_IsRefusedByDefault_ADifferentiallyPrivateOneIsServedWithNoiseAdded()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        File.Delete(Path.Combine(node.StateFolder, NodePolicy.FileName));
        var exact = node.Manifest();
        var dp = node.Manifest() with { Privacy = new JobPrivacy(ReleaseModes.Dp, 0.02) };

        await node.ServeAsync(node.CommitmentTask(exact));
        var job = await node.HonestJobUntilDecryptionAsync(dp);
        await node.ServeAsync(node.DecryptionTask(job));

        Assert.Null(node.OwnCommitment(exact.JobId));
        Assert.Contains($"Refused: job {exact.JobId} is released exactly; this node's policy allows differentially private releases only (allowExactRelease).", node.Log, StringComparison.Ordinal);
        // The node's own count is 0; its noise has variance 1 / (2 * 0.02) / 2 = 12.5 (two honest nodes of three), so
        // |noise| <= 30 but for a chance below 1e-6 (8.5 standard deviations).
        var noisy = node.Decrypt(job.Aggregate, node.DecryptionShares(dp.JobId)[^1]) - (5 + 7);
        Assert.InRange(noisy, -30, 30);
    }

    [Fact]
    public async Task Rho_AbovePolicy_OrAVectorThatIsNotTheQuerysLayout_IsRefused()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName), """{ "maxRhoPerJob": 0.1 }""");
        var greedy = node.Manifest() with { Privacy = new JobPrivacy(ReleaseModes.Dp, 0.2) };
        var longer = node.Manifest() with { Privacy = new JobPrivacy(ReleaseModes.Dp, 0.05), VectorLength = 2 };
        var unbounded = node.Manifest() with
        {
            Privacy = new JobPrivacy(ReleaseModes.Dp, 0.05), Aggregation = new AggregationSpec("sum", "age"), VectorLength = 2,
            Variables = [new LayoutVariable("age", "integer", null)],
        };

        foreach (var manifest in new[] { greedy, longer, unbounded })
        {
            await node.ServeAsync(node.CommitmentTask(manifest));
            Assert.Null(node.OwnCommitment(manifest.JobId));
        }

        Assert.Contains($"Refused: job {greedy.JobId} spends rho 0.2; this node's policy allows at most 0.1 per job (maxRhoPerJob).", node.Log, StringComparison.Ordinal);
        Assert.Contains($"Refused: the vector of job {longer.JobId} (2 numbers, 0 decimal places) is not the layout of its query and its checks.", node.Log, StringComparison.Ordinal);
        Assert.Contains($"Refused: job {unbounded.JobId} is a differentially private sum this node cannot calibrate noise to (a variable without declared bounds", node.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateModel_SpendsRhoOnEachOfItsRounds_AndIsRefusedWhenTheirSumIsAbovePolicy()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName), """{ "maxRhoPerJob": 0.1 }""");
        JobTaskSpec Model(int rounds)
        {
            var aggregation = new AggregationSpec("glm", Family: "binomial", Link: "logit", Outcome: "died", Covariates: ["icu"], MaxIterations: rounds);
            var variables = new Dictionary<string, LayoutVariable> { ["died"] = new("died", "boolean", null), ["icu"] = new("icu", "boolean", null) };
            var design = Dragon.Contracts.Models.GlmDesign.For(aggregation, variables);
            return node.Manifest() with
            {
                Aggregation = aggregation, VectorLength = Dragon.Contracts.Models.GlmLayout.For(design).Length, Variables = [.. variables.Values],
                Privacy = new JobPrivacy(ReleaseModes.Dp, 0.02), Model = Dragon.Contracts.Models.GlmProgress.Start(design),
            };
        }
        var six = Model(6);
        var five = Model(5);

        await node.ServeAsync(node.CommitmentTask(six));
        await node.ServeAsync(node.CommitmentTask(five));

        Assert.Null(node.OwnCommitment(six.JobId));
        Assert.Contains($"Refused: job {six.JobId} spends rho 0.12 (6 rounds of 0.02); this node's policy allows at most 0.1 per job (maxRhoPerJob).", node.Log, StringComparison.Ordinal);
        Assert.NotNull(node.OwnCommitment(five.JobId));
    }

    [Fact]
    public async Task ExactChecks_InADpJob_TooMany_OverOtherCohorts_OrNotInTheVector_AreRefused_AndBoundedOnesAreServed()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        var template = node.Manifest();
        PriorSelection Prior(IReadOnlyList<Guid> cohorts) => new(Guid.NewGuid(), NodeUnderAttack.Purpose, cohorts, [], new AggregationSpec("count"));
        JobTaskSpec Exact(IReadOnlyList<PriorSelection> prior, int vectorLength) =>
            node.Manifest() with { CohortIds = template.CohortIds, Privacy = new JobPrivacy(ReleaseModes.Exact, 0, new ExactChecks(prior, 2)), VectorLength = vectorLength };
        var dp = node.Manifest() with { Privacy = new JobPrivacy(ReleaseModes.Dp, 0.05, new ExactChecks([], 2)) };
        var tooMany = Exact([.. Enumerable.Range(0, ExactChecks.MaxPrior + 1).Select(_ => Prior(template.CohortIds))], 1 + (2 * (ExactChecks.MaxPrior + 1)));
        var foreign = Exact([Prior([template.CohortIds[0], Guid.NewGuid()])], 3);
        var uncounted = Exact([Prior(template.CohortIds)], 1);
        var served = Exact([Prior([template.CohortIds[1]])], 3);

        foreach (var manifest in new[] { dp, tooMany, foreign, uncounted, served })
        {
            await node.ServeAsync(node.CommitmentTask(manifest));
        }

        Assert.All(new[] { dp, tooMany, foreign, uncounted }, m => Assert.Null(node.OwnCommitment(m.JobId)));
        Assert.Contains($"Refused: job {dp.JobId} is differentially private but asks for exact checks, which would decrypt exact counts.", node.Log, StringComparison.Ordinal);
        Assert.Contains($"Refused: job {tooMany.JobId} asks for {ExactChecks.MaxPrior + 1} prior selections", node.Log, StringComparison.Ordinal);
        Assert.Contains($"Refused: a prior selection of job {foreign.JobId} is over other cohorts", node.Log, StringComparison.Ordinal);
        Assert.Contains($"Refused: the vector of job {uncounted.JobId} (1 numbers, 0 decimal places) is not the layout of its query and its checks.", node.Log, StringComparison.Ordinal);
        Assert.NotNull(node.OwnCommitment(served.JobId));
    }

    [Fact]
    public async Task Manifest_WithAnInListAboveTheFilterLimit_IsRefused()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName), NodeUnderAttack.ExactAllowed);
        var values = System.Text.Json.JsonSerializer.SerializeToElement(Enumerable.Range(0, FilterLimits.MaxInValues + 1).ToArray());
        var manifest = node.Manifest() with { Filter = [new FilterCondition("age", "in", values)] };

        await node.ServeAsync(node.CommitmentTask(manifest));

        Assert.Null(node.OwnCommitment(manifest.JobId));
        Assert.Contains($"Refused: job {manifest.JobId} filters with more than {FilterLimits.MaxConditions} conditions or an in list of more than {FilterLimits.MaxInValues} values.", node.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MinSites_BelowTwo_IsNotAPolicy()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName), """{ "minSites": 1 }""");
        var manifest = node.Manifest();

        await node.ServeAsync(node.CommitmentTask(manifest));

        Assert.Null(node.OwnCommitment(manifest.JobId));
        Assert.Contains("minSites must be at least 2", node.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequesterRules_RefuseTheJobsTheyName_NamingTheRule_AndServeTheOthers()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        var denied = Guid.NewGuid();
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName),
            $$"""{ "allowExactRelease": true, "deny": { "researchers": ["{{denied}}"] }, "allow": { "organisations": ["uni.example"] } }""");
        var fromDenied = node.Manifest() with { Requester = new JobRequester(Guid.NewGuid(), denied, "Mallory", "uni.example") };
        var fromElsewhere = node.Manifest() with { Requester = new JobRequester(Guid.NewGuid(), Guid.NewGuid(), "Oscar", "elsewhere.example") };
        var unsigned = node.Manifest();
        var allowed = node.Manifest() with { Requester = new JobRequester(Guid.NewGuid(), Guid.NewGuid(), "Alice", "UNI.example") };

        foreach (var manifest in new[] { fromDenied, fromElsewhere, unsigned, allowed })
        {
            await node.ServeAsync(node.CommitmentTask(manifest));
        }

        Assert.Null(node.OwnCommitment(fromDenied.JobId));
        Assert.Null(node.OwnCommitment(fromElsewhere.JobId));
        Assert.Null(node.OwnCommitment(unsigned.JobId));
        Assert.NotNull(node.OwnCommitment(allowed.JobId));
        Assert.Contains($"Refused: job {fromDenied.JobId}: researcher Mallory ({denied}) of uni.example, agreement {fromDenied.Requester!.AgreementId}: the researcher is denied (deny.researchers) by this node's policy.", node.Log, StringComparison.Ordinal);
        Assert.Contains($"Refused: job {fromElsewhere.JobId}: researcher Oscar", node.Log, StringComparison.Ordinal);
        Assert.Contains("the organisation is not allowed (allow.organisations)", node.Log, StringComparison.Ordinal);
        Assert.Contains($"Refused: job {unsigned.JobId} does not say who asked for it", node.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KindVariableAndCellRules_CountTheFiltersVariables_AndTheJobsPromisedSuppression()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName),
            """{ "allowExactRelease": true, "deny": { "variables": ["hiv_status"] }, "allow": { "kinds": ["count", "mean"] }, "minCellCount": 10 }""");
        var filteredOnDenied = node.Manifest() with
        {
            Filter = [new FilterCondition("hiv_status", "eq", System.Text.Json.JsonSerializer.SerializeToElement(true))], MinCellCount = 10,
        };
        var histogram = node.Manifest() with { MinCellCount = 10, Aggregation = new AggregationSpec("histogram", "age", [0, 50, 120]) };
        var smallCells = node.Manifest() with { MinCellCount = 5 };
        var fine = node.Manifest() with { MinCellCount = 11 };

        foreach (var manifest in new[] { filteredOnDenied, histogram, smallCells, fine })
        {
            await node.ServeAsync(node.CommitmentTask(manifest));
        }

        Assert.Contains($"Refused: job {filteredOnDenied.JobId}: variable 'hiv_status' is denied (deny.variables) by this node's policy.", node.Log, StringComparison.Ordinal);
        Assert.Contains($"Refused: job {histogram.JobId}: aggregation kind 'histogram' is not allowed (allow.kinds) by this node's policy.", node.Log, StringComparison.Ordinal);
        Assert.Contains($"Refused: job {smallCells.JobId} suppresses cells below 5; this node's policy requires at least 10 (minCellCount).", node.Log, StringComparison.Ordinal);
        Assert.NotNull(node.OwnCommitment(fine.JobId));
    }

    [Fact]
    public async Task DailyJobLimit_RefusesTheJobBeyondIt_ButNotTheRepeatOfOneAlreadyStarted()
    {
        using var node = await NodeUnderAttack.StartAsync();
        await node.CeremonyAsync();
        await File.WriteAllTextAsync(Path.Combine(node.StateFolder, NodePolicy.FileName), """{ "allowExactRelease": true, "dailyJobLimit": 1 }""");
        var first = node.Manifest();
        var second = node.Manifest();

        await node.ServeAsync(node.CommitmentTask(first));
        await node.ServeAsync(node.CommitmentTask(second));
        await node.ServeAsync(node.CommitmentTask(first));

        Assert.NotNull(node.OwnCommitment(first.JobId));
        Assert.Null(node.OwnCommitment(second.JobId));
        Assert.Contains($"Refused: job {second.JobId}: this node has started 1 jobs today (UTC); its policy allows 1 a day (dailyJobLimit).", node.Log, StringComparison.Ordinal);
        Assert.DoesNotContain($"Refused: job {first.JobId}", node.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "deny": { "researcher": [] } }""", "researcher")]
    [InlineData("""{ "minCellCount": 0 }""", "minCellCount must be at least 1")]
    [InlineData("""{ "dailyJobLimit": -1 }""", "dailyJobLimit must not be negative")]
    [InlineData("""{ "alowExactRelease": true }""", "alowExactRelease")]
    public void PolicyFile_WithAMisspeltOrOutOfRangeRule_IsRejected(string json, string named)
    {
        var problem = Assert.Throws<Dragon.Node.Cli.NodeException>(() => NodePolicy.Parse(json));

        Assert.Contains(named, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("job 1: researcher M (x) of y, agreement z: the researcher is denied (deny.researchers) by this node's policy.", "deny.researchers")]
    [InlineData("job 1 has 3 participating sites; this node's policy requires at least 4 (minSites).", "minSites")]
    [InlineData("job 1 spends rho 0.2 (5 rounds of 0.04); this node's policy allows at most 0.1 per job (maxRhoPerJob).", "maxRhoPerJob")]
    [InlineData("the manifest of job 1 names another job (job) than its task.", null)]
    public void RuleIn_NamesThePolicyRuleARefusalCites(string refusal, string? rule) => Assert.Equal(rule, NodePolicy.RuleIn(refusal));
}
