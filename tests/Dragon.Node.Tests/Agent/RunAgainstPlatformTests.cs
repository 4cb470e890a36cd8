using System.Net.Http.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Node.Agent;
using Dragon.Node.Cli;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Agent;

/// <summary><c>run</c> as two hospitals run it, against the real platform hosted in-process.</summary>
public sealed class RunAgainstPlatformTests(PlatformHost platform) : IClassFixture<PlatformHost>, IDisposable
{
    private const string CohortJson = """
        {
          "name": "COVID CT",
          "description": "Chest CT of COVID-19 admissions",
          "population": "Adults admitted with COVID-19, 2020-2022",
          "countries": ["NL"],
          "size": 12,
          "dataUse": ["DUO:0000042"],
          "variables": [
            { "name": "age", "label": "Age at admission", "type": "integer", "unit": "years" }
          ]
        }
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_TwoNodes_SendHeartbeatsSyncConsentAndCompleteTheKeySet()
    {
        var nodes = new List<(Guid NodeId, string State, Guid CohortId, string Data)>();
        for (var i = 0; i < 2; i++)
        {
            var state = _temp.Combine($"state-{i}");
            var (nodeId, cohortId) = await platform.JoinAsync(_temp, state, CohortJson, cohortId =>
                $"pt-1,{cohortId},DUO:0000042,granted\n" +
                $"pt-2,{cohortId},DUO:0000042,withdrawn\n");
            nodes.Add((nodeId, state, cohortId, _temp.File($"data-{i}.csv", "subject_ref,age\npt-1,40\npt-2,50\n")));
        }
        using var admin = await platform.AdminAsync();
        using var created = await admin.PostAsJsonAsync("/api/v1/key-sets", new KeySetRequest([.. nodes.Select(n => n.NodeId)], "bfv-8192"), DragonJson.Options);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var keySet = (await created.Content.ReadFromJsonAsync<KeySetResponse>(DragonJson.Options))!;

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var consoles = nodes.Select(_ => new TestConsole(platform.Handler)).ToList();
        var runs = new List<Task<int>>();
        KeySetResponse ready;
        try
        {
            runs.AddRange(nodes.Select((n, i) => NodeCli.RunAsync(["run", "--state", n.State, "--data", $"{n.CohortId}={n.Data}", "--poll-seconds", "0.2"], consoles[i].Console, stop.Token)));
            ready = await PlatformJobs.WaitForReadyAsync(admin, keySet.Id, stop.Token);
            await WaitForConsentsAsync(nodes.Select(n => n.State), stop.Token);
            // The key set is ready once the platform has both shares, which can be before an agent has logged its own upload.
            while (consoles.Any(c => !c.Error.Contains("share uploaded", StringComparison.Ordinal)))
            {
                await Task.Delay(50, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            var view = await admin.GetStringAsync($"/api/v1/key-sets/{keySet.Id}");
            var counts = string.Join(",", nodes.Select(n => ConsentStore.Open(Dragon.Node.State.StateFolder.Open(n.State)).Count));
            Assert.Fail($"The key set did not become ready: {view} consents {counts} " + string.Join(" | ", consoles.Select(c => c.Error)));
            throw;
        }
        await stop.CancelAsync();

        Assert.All(await Task.WhenAll(runs), code => Assert.Equal(NodeCli.Succeeded, code));
        Assert.NotNull(ready.CollectivePublicKey);
        foreach (var (node, i) in nodes.Select((n, i) => (n, i)))
        {
            var folder = Dragon.Node.State.StateFolder.Open(node.State);
            var store = ConsentStore.Open(folder);
            Assert.Equal("granted", store.Find(node.CohortId, "pt-1")!.Status);
            Assert.Equal("withdrawn", store.Find(node.CohortId, "pt-2")!.Status);
            var secret = folder.ReadFile(KeyShareSecrets.FileNameOf(keySet.Id));
            Assert.NotNull(secret);
            Assert.Contains("share uploaded", consoles[i].Error, StringComparison.Ordinal);
            Assert.DoesNotContain("failed", consoles[i].Error, StringComparison.Ordinal);
            var key = new KeyShareSecrets(folder, folder.ReadState(), consoles[i].Console.Environment)
                .Open(keySet.Id, Dragon.Homomorphic.EncryptionParameters.FromPreset("bfv-8192"));
            Assert.NotNull(key);
        }
        using var nodeView = await admin.GetAsync($"/api/v1/nodes/{nodes[0].NodeId}");
        Assert.Contains("lastHeartbeatAt\":\"", await nodeView.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithALongPoll_LearnsOfAKeySetCreatedAfterItsFirstRound_ByPush()
    {
        var nodes = new List<(Guid NodeId, string State, Guid CohortId, string Data)>();
        for (var i = 0; i < 2; i++)
        {
            var state = _temp.Combine($"push-state-{i}");
            var (nodeId, cohortId) = await platform.JoinAsync(_temp, state, CohortJson, cohortId =>
                $"pt-1,{cohortId},DUO:0000042,granted\n" +
                $"pt-2,{cohortId},DUO:0000042,withdrawn\n");
            nodes.Add((nodeId, state, cohortId, _temp.File($"push-data-{i}.csv", "subject_ref,age\npt-1,40\npt-2,50\n")));
        }
        using var admin = await platform.AdminAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var consoles = nodes.Select(_ => new TestConsole(platform.Handler)).ToList();
        // Ten minutes between polls: only the push channel can bring the key set within the test's time.
        var runs = nodes.Select((n, i) => NodeCli.RunAsync(["run", "--state", n.State, "--data", $"{n.CohortId}={n.Data}", "--poll-seconds", "600"], consoles[i].Console, stop.Token)).ToList();
        try
        {
            await WaitForConsentsAsync(nodes.Select(n => n.State), stop.Token);
            using var created = await admin.PostAsJsonAsync("/api/v1/key-sets", new KeySetRequest([.. nodes.Select(n => n.NodeId)], "bfv-8192"), DragonJson.Options);
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            var keySet = (await created.Content.ReadFromJsonAsync<KeySetResponse>(DragonJson.Options))!;

            var ready = await PlatformJobs.WaitForReadyAsync(admin, keySet.Id, stop.Token);

            Assert.NotNull(ready.CollectivePublicKey);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("The key set did not become ready by push: " + string.Join(" | ", consoles.Select(c => c.Error)));
        }
        finally
        {
            await stop.CancelAsync();
            Assert.All(await Task.WhenAll(runs), code => Assert.Equal(NodeCli.Succeeded, code));
        }
    }

    private static async Task WaitForConsentsAsync(IEnumerable<string> states, CancellationToken cancellationToken)
    {
        foreach (var state in states)
        {
            while (ConsentStore.Open(Dragon.Node.State.StateFolder.Open(state)).Count < 2)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

}
