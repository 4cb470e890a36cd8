using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>
/// The push channel through HTTP: a node's event stream says 'tasks' when a job starts needing it (woken by this host's
/// commit, or by its timer for another host's), at once on connecting when work is waiting, and ends after its lifetime
/// so the agent reconnects.
/// </summary>
public sealed class NodeTaskEventsTests : IDisposable
{
    /// <summary>Longer than any test: a stream of this host hears of work only through the commits it makes.</summary>
    private static readonly TimeSpan NoTimer = TimeSpan.FromMinutes(10);

    private DragonApiFactory _factory = Host(TimeSpan.FromMinutes(5), NoTimer);

    [Fact]
    public async Task JobSubmittedWhileTheNodeListens_IsAnnouncedOnItsStream_AsTheTaskItThenReads()
    {
        var s = await JobScenario.CreateAsync(_factory);
        await using var events = await EventsAsync(s.Nodes[0]);

        var job = await s.SubmitAsync(new AggregationSpec("count"));
        var announced = await NextTasksEventAsync(events);
        var tasks = await (await s.Nodes[0].Client.GetAsync("/api/v1/nodes/me/tasks")).ReadAsAsync<List<NodeTask>>(HttpStatusCode.OK);

        Assert.Equal("1", announced.Data);
        Assert.Equal(job.Id, Assert.Single(tasks, t => t.JobId is not null).JobId);
    }

    /// <summary>
    /// A task that goes away because the node did it wakes nobody (at 30 nodes those empty rounds were a third of every
    /// agent's task reads); the job's next step for the node does.
    /// </summary>
    [Fact]
    public async Task ATaskTheNodeHasDone_IsNotAnnounced_TheNextStepIs()
    {
        var s = await JobScenario.CreateAsync(_factory);
        await using var events = await EventsAsync(s.Nodes[0]);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        await NextTasksEventAsync(events);

        (await s.CommitAsync(s.Nodes[0], job.Id, [1])).EnsureSuccessStatusCode();
        var next = NextTasksEventAsync(events);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(next.IsCompleted, "the stream announced the task the node had just done");
        foreach (var node in s.Nodes.Skip(1))
        {
            (await s.CommitAsync(node, job.Id, [1])).EnsureSuccessStatusCode();
        }

        Assert.Equal("1", (await next).Data);
        var tasks = await (await s.Nodes[0].Client.GetAsync("/api/v1/nodes/me/tasks")).ReadAsAsync<List<NodeTask>>(HttpStatusCode.OK);
        Assert.Equal("contribution", Assert.Single(tasks, t => t.JobId == job.Id).Kind);
    }

    [Fact]
    public async Task NodeConnectingWithWorkWaiting_HearsOfItAtOnce_AndTheStreamEndsAfterItsLifetime()
    {
        _factory.Dispose();
        _factory.DropDatabase();
        _factory = Host(TimeSpan.FromSeconds(8), NoTimer);
        var s = await JobScenario.CreateAsync(_factory);
        var job = await s.SubmitAsync(new AggregationSpec("count"));
        await s.WaitForStatusAsync(job.Id, "committing");

        await using var events = await EventsAsync(s.Nodes[1]);
        var first = await NextTasksEventAsync(events);

        Assert.Equal("1", first.Data);
        using var ends = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await events.MoveNextAsync().AsTask().WaitAsync(ends.Token))
        {
        }
    }

    /// <remarks>Either host's Hangfire may start the job; when the other host does, only the timed check can find it.</remarks>
    [Fact]
    public async Task JobSubmittedOnAnotherHost_IsAnnouncedToANodeListeningHere()
    {
        _factory.Dispose();
        _factory.DropDatabase();
        _factory = DragonApiFactory.Create(DatabaseProvider.PostgreSql, settings: new Dictionary<string, string> { ["NodePush:CheckInterval"] = "00:00:00.5" });
        var s = await JobScenario.CreateAsync(_factory);
        await using var events = await EventsAsync(s.Nodes[0]);
        using var other = _factory.Restart();
        using var researcherOnOther = other.CreateClient();
        researcherOnOther.DefaultRequestHeaders.Authorization = s.Researcher.Client.DefaultRequestHeaders.Authorization;

        var job = await (await researcherOnOther.PostAsJsonAsync("/api/v1/jobs",
            new JobRequest(s.AgreementId, s.KeySetId, [.. s.Cohorts.Select(c => c.Id)], null, new AggregationSpec("count")), DragonJson.Options))
            .ReadAsAsync<JobResponse>(HttpStatusCode.Accepted);
        var announced = await NextTasksEventAsync(events);

        Assert.Equal("1", announced.Data);
        var tasks = await (await s.Nodes[0].Client.GetAsync("/api/v1/nodes/me/tasks")).ReadAsAsync<List<NodeTask>>(HttpStatusCode.OK);
        Assert.Equal(job.Id, Assert.Single(tasks, t => t.JobId is not null).JobId);
    }

    [Fact]
    public async Task Stream_WithoutANodeToken_IsRefused()
    {
        var researcher = (await _factory.Accounts.AsAsync(Dragon.Platform.Identity.DragonRoles.Researcher)).Client;

        Assert.Equal(HttpStatusCode.Unauthorized, (await _factory.CreateClient().GetAsync("/api/v1/nodes/me/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await researcher.GetAsync("/api/v1/nodes/me/events")).StatusCode);
    }

    private static DragonApiFactory Host(TimeSpan streamLifetime, TimeSpan checkInterval) => DragonApiFactory.Create(DatabaseProvider.Sqlite, settings: new Dictionary<string, string>
    {
        ["NodePush:CheckInterval"] = checkInterval.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["NodePush:StreamLifetime"] = streamLifetime.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    });

    private static async Task<IAsyncEnumerator<SseItem<string>>> EventsAsync(TestAccounts.EnrolledNode node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nodes/me/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await node.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator();
    }

    private static async Task<SseItem<string>> NextTasksEventAsync(IAsyncEnumerator<SseItem<string>> events)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token))
        {
            if (events.Current.EventType == "tasks")
            {
                return events.Current;
            }
        }
        throw new InvalidOperationException("The stream ended without a 'tasks' event.");
    }

    public void Dispose()
    {
        _factory.Dispose();
        _factory.DropDatabase();
    }
}
