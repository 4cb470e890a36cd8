using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Contracts.Consent;
using Dragon.Platform.Consent;
using Dragon.Platform.Tests.Catalogue;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Consent;

/// <summary><c>POST /api/v1/consents/batch</c>: many consents in one transaction, all of them or none.</summary>
public abstract class ConsentBatchTests(ApiFixture fixture)
{
    private const string Hmb = "DUO:0000006";
    private const string Gru = "DUO:0000042";
    private TestAccounts Accounts => fixture.Factory.Accounts;

    [Fact]
    public async Task Batch_CreatesChangesAndSkipsUnchanged_AndTheFeedHasOneVersionPerChange()
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var (a, b, c) = ($"A-{Guid.NewGuid():N}", $"B-{Guid.NewGuid():N}", $"C-{Guid.NewGuid():N}");
        var cursor = await FeedEndAsync(node);

        var first = await SendAsync(node, Consent(a, cohort.Id, "granted", Hmb), Consent(b, cohort.Id, "granted", Hmb));
        var second = await SendAsync(node, Consent(a, cohort.Id, "granted", Hmb), Consent(b, cohort.Id, "withdrawn", Hmb), Consent(c, cohort.Id, "granted", Gru));

        Assert.Equal((2, 0, 0), (first.Created, first.Changed, first.Unchanged));
        Assert.Equal((1, 1, 1), (second.Created, second.Changed, second.Unchanged));
        Assert.Equal(["unchanged", "changed", "created"], second.Items.Select(i => i.Outcome));
        Assert.Equal([a, b, c], second.Items.Select(i => i.SubjectRef));
        Assert.Equal([1, 2, 1], second.Items.Select(i => i.Version));
        Assert.Equal(first.Items[1].ConsentId, second.Items[1].ConsentId);
        var feed = (await (await node.Client.GetAsync($"/api/v1/nodes/me/consent-changes?after={cursor}")).ReadAsAsync<ConsentFeed>(HttpStatusCode.OK)).Items;
        Assert.Equal([(a, 1), (b, 1), (b, 2), (c, 1)], feed.Select(f => (f.SubjectRef, f.Version)));
        Assert.Equal(feed.Select(f => f.Cursor).Order(), feed.Select(f => f.Cursor));
    }

    [Fact]
    public async Task Batch_WithRefusedItems_SavesNothingAndNamesEachRefusedItem()
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var (_, foreign) = await NodeWithCohortAsync();
        var good = $"G-{Guid.NewGuid():N}";
        var twice = $"T-{Guid.NewGuid():N}";
        var cursor = await FeedEndAsync(node);

        var problem = await (await PostAsync(node,
                Consent(good, cohort.Id, "granted", Hmb),
                Consent($"S-{Guid.NewGuid():N}", cohort.Id, "maybe", Hmb),
                Consent($"F-{Guid.NewGuid():N}", foreign.Id, "granted", Hmb),
                Consent(twice, cohort.Id, "granted", Hmb),
                Consent(twice, cohort.Id, "withdrawn", Hmb),
                Consent("has space", cohort.Id, "granted", "XYZ")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("consents[1].status"));
        Assert.NotEmpty(problem.FieldErrors("consents[2].cohortId"));
        Assert.NotEmpty(problem.FieldErrors("consents[4].subjectRef"));
        Assert.NotEmpty(problem.FieldErrors("consents[5].subjectRef"));
        Assert.NotEmpty(problem.FieldErrors("consents[5].purposes"));
        Assert.False(problem.GetProperty("errors").TryGetProperty("consents[0].subjectRef", out _));
        Assert.Empty((await (await node.Client.GetAsync($"/api/v1/nodes/me/consent-changes?after={cursor}")).ReadAsAsync<ConsentFeed>(HttpStatusCode.OK)).Items);
        Assert.Equal("created", Assert.Single((await SendAsync(node, Consent(good, cohort.Id, "granted", Hmb))).Items).Outcome);
    }

    [Fact]
    public async Task Batch_EmptyOrOverTheLimit_IsRefused()
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var tooMany = Enumerable.Range(0, ConsentRegistry.BatchLimit + 1).Select(i => Consent($"L-{i}", cohort.Id, "granted", Hmb)).ToArray();

        var empty = await (await PostAsync(node)).AssertProblemAsync(HttpStatusCode.BadRequest);
        var over = await (await PostAsync(node, tooMany)).AssertProblemAsync(HttpStatusCode.BadRequest);
        var missing = await (await node.Client.PostAsJsonAsync("/api/v1/consents/batch", new { }, DragonJson.Options)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.All([empty, over, missing], p => Assert.NotEmpty(p.FieldErrors("consents")));
    }

    [Fact]
    public async Task Batch_LargerThanItsBodyLimit_IsRefusedWith413()
    {
        var (node, cohort) = await NodeWithCohortAsync();
        var evidence = new string('e', 1000);
        var huge = Enumerable.Range(0, 3000).Select(i => new ConsentRequest($"H-{i}", cohort.Id, [Hmb], "granted", evidence)).ToArray();

        await (await PostAsync(node, huge)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Batch_IsForNodesOnly()
    {
        var (_, cohort) = await NodeWithCohortAsync();
        var steward = await Accounts.NewUserAsync(Dragon.Platform.Identity.DragonRoles.DataSteward);

        var response = await steward.Client.PostAsJsonAsync("/api/v1/consents/batch", new ConsentBatchRequest([Consent("X-1", cohort.Id, "granted", Hmb)]), DragonJson.Options);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static ConsentRequest Consent(string subject, Guid cohortId, string status, string purpose) => new(subject, cohortId, [purpose], status);

    private static Task<HttpResponseMessage> PostAsync(TestAccounts.EnrolledNode node, params ConsentRequest[] consents) =>
        node.Client.PostAsJsonAsync("/api/v1/consents/batch", new ConsentBatchRequest(consents), DragonJson.Options);

    private static async Task<ConsentBatchResponse> SendAsync(TestAccounts.EnrolledNode node, params ConsentRequest[] consents) =>
        await (await PostAsync(node, consents)).ReadAsAsync<ConsentBatchResponse>(HttpStatusCode.OK);

    /// <summary>The cursor after everything the node's feed holds now.</summary>
    private static async Task<long> FeedEndAsync(TestAccounts.EnrolledNode node)
    {
        long cursor = 0;
        while (true)
        {
            var page = await (await node.Client.GetAsync($"/api/v1/nodes/me/consent-changes?after={cursor}")).ReadAsAsync<ConsentFeed>(HttpStatusCode.OK);
            if (page.Items.Count == 0)
            {
                return cursor;
            }
            cursor = page.NextCursor;
        }
    }

    private Task<(TestAccounts.EnrolledNode Node, CohortResponse Cohort)> NodeWithCohortAsync() => CohortSamples.NodeWithCohortAsync(Accounts);
}

public sealed class SqliteConsentBatchTests(SqliteApiFixture fixture) : ConsentBatchTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresConsentBatchTests(PostgresApiFixture fixture) : ConsentBatchTests(fixture), IClassFixture<PostgresApiFixture>;
