using System.Net.Http.Json;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Node.Cli;
using Dragon.Node.Consent;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Dragon.Node.State;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Cli;

/// <summary>The commands as a hospital runs them, against the real platform hosted in-process.</summary>
public sealed class NodeCommandsAgainstPlatformTests(PlatformHost platform) : IClassFixture<PlatformHost>, IDisposable
{
    private const string CohortJson = """
        {
          "name": "COVID CT Nijmegen",
          "description": "Chest CT of COVID-19 admissions",
          "population": "Adults admitted with COVID-19, 2020-2022",
          "countries": ["NL"],
          "size": 412,
          "dataUse": ["DUO:0000042"],
          "variables": [
            { "name": "age", "label": "Age at admission", "type": "integer", "unit": "years" },
            { "name": "sex", "label": "Sex", "type": "categorical", "categories": ["female", "male"] }
          ]
        }
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EnrollApprovePublishConsentLinkCodeErase_AgainstThePlatform_Succeed()
    {
        var state = _temp.Combine("state");
        var nodeId = await EnrollAsync(state);
        await platform.ApproveAsync(nodeId);

        var published = await RunAsync("publish-cohort", "--state", state, "--file", _temp.File("cohort.json", CohortJson));
        Assert.Equal(NodeCli.Succeeded, published.Code);
        var cohortId = Guid.Parse(published.Console.Result);

        var consents = _temp.File("consents.csv",
            "subject_ref,cohort_id,purposes,status\n" +
            $"pt-0001,{cohortId},DUO:0000042;DUO:0000006,granted\n" +
            $"pt-0002,{cohortId},DUO:0000042,withdrawn\n");
        var registered = await RunAsync("consent", "--state", state, "--file", consents);
        Assert.True(registered.Code == NodeCli.Succeeded, registered.Console.Error);
        Assert.Contains("Registered 2 of 2", registered.Console.Out, StringComparison.Ordinal);

        var linked = await RunAsync("link-code", "--state", state, "--subject", "pt-0001", "--cohort", cohortId.ToString());
        Assert.True(linked.Code == NodeCli.Succeeded, linked.Console.Error);
        Assert.Equal(10, linked.Console.Result.Length);

        var erased = await RunAsync("erase", "--state", state, "--subject", "pt-0001");
        var invalid = await RunAsync("erase", "--state", state, "--subject", "not a pseudonym");
        Assert.True(erased.Code == NodeCli.Succeeded, erased.Console.Error);
        Assert.Contains("Subject pt-0001: 1 consent(s) withdrawn.", erased.Console.Out, StringComparison.Ordinal);
        Assert.Equal(NodeCli.Failed, invalid.Code);
        Assert.Contains("subjectRef", invalid.Console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuspendedNode_ReinstatedByAnAdmin_SignsInAgainOnceItInstallsTheNewSecret()
    {
        var state = _temp.Combine("state");
        var nodeId = await EnrollAsync(state);
        await platform.ApproveAsync(nodeId);
        using var admin = await platform.AdminAsync();
        (await admin.PostAsync($"/api/v1/nodes/{nodeId}/suspend", null)).EnsureSuccessStatusCode();
        using var reinstated = await admin.PostAsync($"/api/v1/nodes/{nodeId}/reinstate", null);
        reinstated.EnsureSuccessStatusCode();
        var secret = (await reinstated.Content.ReadFromJsonAsync<Dragon.Contracts.Nodes.EnrollResponse>(DragonJson.Options))!.ClientSecret;
        var file = _temp.File("cohort.json", CohortJson);

        var withOldSecret = await RunAsync("publish-cohort", "--state", state, "--file", file);
        var wrong = await RunAsync("credentials", "--state", state, "--secret-file", _temp.File("wrong.txt", "not-the-secret"));
        var installed = await RunAsync("credentials", "--state", state, "--secret-file", _temp.File("secret.txt", secret + "\n"));
        var published = await RunAsync("publish-cohort", "--state", state, "--file", file);

        Assert.Equal(NodeCli.Failed, withOldSecret.Code);
        Assert.Equal(NodeCli.Failed, wrong.Code);
        Assert.Contains("invalid_client", wrong.Console.Error, StringComparison.Ordinal);
        Assert.True(installed.Code == NodeCli.Succeeded, installed.Console.Error);
        Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(state, "state.json")), StringComparison.Ordinal);
        Assert.True(published.Code == NodeCli.Succeeded, published.Console.Error);
    }

    [Fact]
    public async Task Enroll_WithoutAContactEmail_IsAUsageError_AndSpendsNoToken()
    {
        var token = await platform.EnrollmentTokenAsync();
        var state = _temp.Combine("state");

        var refused = await RunAsync("enroll", "--platform", platform.Address.ToString(), "--token", token, "--name", "node without contact",
            "--organisation", PlatformHost.Organisation, "--country", "NL", "--state", state);
        var enrolled = await EnrollWithAsync(token, state);

        Assert.Equal(NodeCli.BadUsage, refused.Code);
        Assert.Contains("--contact-email", refused.Console.Error, StringComparison.Ordinal);
        Assert.True(enrolled.Code == NodeCli.Succeeded, enrolled.Console.Error);
    }

    [Fact]
    public async Task PublishCohort_WhenPublishedBefore_SavesANewVersionOfTheSameCohort()
    {
        var state = _temp.Combine("state");
        await platform.ApproveAsync(await EnrollAsync(state));
        var file = _temp.File("cohort.json", CohortJson);
        var first = Guid.Parse((await RunAsync("publish-cohort", "--state", state, "--file", file)).Console.Result);

        File.WriteAllText(file, CohortJson.Replace("\"size\": 412", "\"size\": 450", StringComparison.Ordinal));
        var second = await RunAsync("publish-cohort", "--state", state, "--file", file);

        Assert.True(second.Code == NodeCli.Succeeded, second.Console.Error);
        Assert.Equal(first, Guid.Parse(second.Console.Result));
        using var admin = await platform.AdminAsync();
        var cohort = await admin.GetFromJsonAsync<CohortResponse>($"/api/v1/cohorts/{first}", DragonJson.Options);
        Assert.Equal(2, cohort!.Version);
        Assert.Equal(450, cohort.Size);
    }

    [Fact]
    public async Task PublishCohort_BeforeApproval_SaysTheNodeAwaitsApproval()
    {
        var state = _temp.Combine("state");
        var nodeId = await EnrollAsync(state);

        var run = await RunAsync("publish-cohort", "--state", state, "--file", _temp.File("cohort.json", CohortJson));

        Assert.Equal(NodeCli.Failed, run.Code);
        Assert.Contains("invalid_client", run.Console.Error, StringComparison.Ordinal);
        Assert.Contains("approve", run.Console.Error, StringComparison.Ordinal);
        Assert.Contains(nodeId.ToString(), run.Console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consent_WhenARowIsRefused_ReportsItsLineAndReasonAndFails()
    {
        var (state, cohortId) = await ApprovedNodeWithCohortAsync();
        var consents = _temp.File("consents.csv",
            "subject_ref,cohort_id,purposes,status\n" +
            $"pt-0001,{cohortId},DUO:0000042,granted\n" +
            $"pt-0002,{cohortId},DUO:0000042,maybe\n" +
            "pt-0003,not-a-cohort,DUO:0000042,granted\n");

        var run = await RunAsync("consent", "--state", state, "--file", consents);

        Assert.Equal(NodeCli.Failed, run.Code);
        Assert.Contains("Registered 1 of 3", run.Console.Out, StringComparison.Ordinal);
        Assert.Contains("line 3 (subject pt-0002): the platform refused it: status must be granted or withdrawn.", run.Console.Error, StringComparison.Ordinal);
        Assert.Contains("line 4 (subject pt-0003): cohort_id 'not-a-cohort'", run.Console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consent_TwoRowsForOneSubject_TheLaterOneIsRegistered()
    {
        var (state, cohortId) = await ApprovedNodeWithCohortAsync();
        var consents = _temp.File("consents.csv",
            "subject_ref,cohort_id,purposes,status\n" +
            $"pt-0001,{cohortId},DUO:0000042,granted\n" +
            $"pt-0002,{cohortId},DUO:0000042,granted\n" +
            $"pt-0001,{cohortId},DUO:0000042,withdrawn\n");

        var run = await RunAsync("consent", "--state", state, "--file", consents);

        Assert.True(run.Code == NodeCli.Succeeded, run.Console.Error);
        Assert.Contains("line 2 (subject pt-0001): skipped", run.Console.Out, StringComparison.Ordinal);
        Assert.Contains("Registered 2 of 3 consents; 1 skipped; 0 failed.", run.Console.Out, StringComparison.Ordinal);
        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        var versions = await db.ConsentVersions.Where(v => db.Consents.Any(c => c.Id == v.ConsentId && c.CohortId == cohortId && c.SubjectRef == "pt-0001")).ToListAsync();
        Assert.Equal(Dragon.Platform.Consent.ConsentStatus.Withdrawn, Assert.Single(versions).Status);
    }

    [Fact]
    public async Task Consent_ManyRows_GoInBatches_AndARefusedRowInAnyBatchDoesNotStopTheOthers()
    {
        var (state, cohortId) = await ApprovedNodeWithCohortAsync();
        var rows = Enumerable.Range(1, 2 * ConsentCommand.BatchSize + 3)
            .Select(i => i switch
            {
                2 => $"pt-{i:D5},{cohortId},DUO:0000042,maybe",
                ConsentCommand.BatchSize + 7 => $"pt-{i:D5},{Guid.NewGuid()},DUO:0000042,granted",
                _ => $"pt-{i:D5},{cohortId},DUO:0000042,{(i % 3 == 0 ? "withdrawn" : "granted")}",
            });
        var consents = _temp.File("consents.csv", "subject_ref,cohort_id,purposes,status\n" + string.Join("\n", rows) + "\n");

        var run = await RunAsync("consent", "--state", state, "--file", consents);

        Assert.Equal(NodeCli.Failed, run.Code);
        Assert.Contains($"Registered {2 * ConsentCommand.BatchSize + 1} of {2 * ConsentCommand.BatchSize + 3}", run.Console.Out, StringComparison.Ordinal);
        Assert.Contains("line 3 (subject pt-00002): the platform refused it: status must be", run.Console.Error, StringComparison.Ordinal);
        Assert.Contains($"line {ConsentCommand.BatchSize + 8} (subject pt-{ConsentCommand.BatchSize + 7:D5}): the platform refused it: Cohort", run.Console.Error, StringComparison.Ordinal);
        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        var saved = await db.Consents.Where(c => c.CohortId == cohortId).Select(c => c.SubjectRef).ToListAsync();
        Assert.Equal(2 * ConsentCommand.BatchSize + 1, saved.Count);
        Assert.DoesNotContain("pt-00002", saved);
    }

    [Fact]
    public async Task Enroll_WithASpentToken_FailsWithThePlatformsReasonAndKeepsNoState()
    {
        var token = await platform.EnrollmentTokenAsync();
        Assert.Equal(NodeCli.Succeeded, (await EnrollWithAsync(token, _temp.Combine("first"))).Code);

        var again = await EnrollWithAsync(token, _temp.Combine("second"));

        Assert.Equal(NodeCli.Failed, again.Code);
        Assert.Contains("Enrolling: the platform answered 4", again.Console.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp.Combine("second"), StateFolder.StateFileName)));
    }

    [Fact]
    public async Task Enroll_NeverWritesTheClientSecret()
    {
        var state = _temp.Combine("state");
        var run = await EnrollWithAsync(await platform.EnrollmentTokenAsync(), state);
        var folder = StateFolder.Open(state);
        var secret = folder.OpenSecret(folder.ReadState(), run.Console.Console.Environment);

        Assert.DoesNotContain(secret, run.Console.Out + run.Console.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(state, StateFolder.StateFileName)), StringComparison.Ordinal);
    }

    /// <summary>An enrolled, approved node that published <see cref="CohortJson"/>: its state folder and the cohort's id.</summary>
    private async Task<(string State, Guid CohortId)> ApprovedNodeWithCohortAsync()
    {
        var state = _temp.Combine("state");
        await platform.ApproveAsync(await EnrollAsync(state));
        var published = await RunAsync("publish-cohort", "--state", state, "--file", _temp.File("cohort.json", CohortJson));
        return (state, Guid.Parse(published.Console.Result));
    }

    private async Task<Guid> EnrollAsync(string state)
    {
        var run = await EnrollWithAsync(await platform.EnrollmentTokenAsync(), state);
        Assert.True(run.Code == NodeCli.Succeeded, run.Console.Error);
        return Guid.Parse(run.Console.Result);
    }

    private Task<(int Code, TestConsole Console)> EnrollWithAsync(string token, string state) =>
        RunAsync("enroll", "--platform", platform.Address.ToString(), "--token", token, "--name", $"node {Guid.NewGuid():N}",
            "--organisation", PlatformHost.Organisation, "--country", "NL", "--state", state, "--contact-email", "it@radboud.test");

    private async Task<(int Code, TestConsole Console)> RunAsync(params string[] args)
    {
        var console = new TestConsole(platform.Handler);
        var code = await NodeCli.RunAsync(args, console.Console);
        return (code, console);
    }
}
