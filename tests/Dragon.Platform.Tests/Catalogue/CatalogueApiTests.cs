using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Platform.Identity;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Catalogue;

/// <summary>The catalogue through HTTP, run once per database provider by the sealed classes below.</summary>
public abstract class CatalogueApiTests(ApiFixture fixture) : IAsyncLifetime
{
    private HttpClient _client = null!;

    public async Task InitializeAsync() => _client = (await fixture.Factory.Accounts.AsAsync(DragonRoles.DataSteward)).Client;

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Create_ThenGet_ReturnsTheCohortAtVersionOne()
    {
        var request = CohortSamples.Valid(CohortSamples.UniqueTag());

        var created = await (await _client.PostAsJsonAsync("/api/v1/cohorts", request, DragonJson.Options))
            .ReadAsAsync<CohortResponse>(HttpStatusCode.Created);
        var read = await _client.GetAsync($"/api/v1/cohorts/{created.Id}");
        var cohort = await read.ReadAsAsync<CohortResponse>(HttpStatusCode.OK);

        Assert.Equal(1, cohort.Version);
        Assert.Equal("\"1\"", read.Headers.ETag?.ToString());
        Assert.Equal(request.Name, cohort.Name);
        Assert.Equal(["NL"], cohort.Countries);
        Assert.Equal(["DUO:0000006"], cohort.DataUse);
        Assert.Equal(412, cohort.Size);
        Assert.Equal(request.Variables!.Select(v => (v.Name, v.Type)), cohort.Variables.Select(v => (v.Name, v.Type)));
        Assert.Equal(["female", "male"], cohort.Variables.Single(v => v.Name == "sex").Categories);
        Assert.Null(cohort.Variables.Single(v => v.Name == "age").Categories);
        var steward = await fixture.Factory.Accounts.AsAsync(DragonRoles.DataSteward);
        Assert.Equal([steward.User.Id], cohort.StewardIds);
        Assert.Null(cohort.NodeId);
    }

    [Fact]
    public async Task DuoShorthands_AreAcceptedForCohortsConsentsRequestsAndSearch_AndStoredAsTheirCodes()
    {
        var tag = CohortSamples.UniqueTag();
        var (node, _) = await CohortSamples.NodeWithCohortAsync(fixture.Factory.Accounts);
        var created = await (await node.Client.PostAsJsonAsync("/api/v1/cohorts", CohortSamples.Valid(tag) with { DataUse = ["gru", "PUB"] }, DragonJson.Options))
            .ReadAsAsync<CohortResponse>(HttpStatusCode.Created);
        var consent = await (await node.Client.PostAsJsonAsync("/api/v1/consents",
                new Dragon.Contracts.Consent.ConsentRequest($"S-{tag}", created.Id, ["HMB"], "granted", "signed form"), DragonJson.Options))
            .ReadAsAsync<Dragon.Contracts.Consent.ConsentResponse>(HttpStatusCode.OK);
        var researcher = await fixture.Factory.Accounts.NewUserAsync(DragonRoles.Researcher);
        var request = await (await researcher.Client.PostAsJsonAsync("/api/v1/access-requests", new Dragon.Contracts.Access.AccessRequestBody(
                "Shorthand purpose", " hmb ", [created.Id], ["age"], ["count"], "Counting admissions by age across hospitals.", 30), DragonJson.Options))
            .ReadAsAsync<Dragon.Contracts.Access.AccessRequestResponse>(HttpStatusCode.Created);
        var unknown = await (await node.Client.PostAsJsonAsync("/api/v1/cohorts", CohortSamples.Valid(CohortSamples.UniqueTag()) with { DataUse = ["XYZ"] }, DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["DUO:0000042", "DUO:0000019"], created.DataUse);
        Assert.Equal(["DUO:0000006"], consent.Purposes);
        Assert.Equal("DUO:0000006", request.Purpose);
        Assert.Equal([created.Id], await SearchIdsAsync($"q={tag}&dataUse=GRU"));
        Assert.Contains("'XYZ'", Assert.Single(unknown.FieldErrors("dataUse[0]")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithUnknownVariableType_AnswersFieldErrorAndStoresNothing()
    {
        var tag = CohortSamples.UniqueTag();
        var request = CohortSamples.Valid(tag) with
        {
            Variables = [new VariableDefinition("age", "Age", "integer"), new VariableDefinition("notes", "Notes", "text")],
        };

        var problem = await (await _client.PostAsJsonAsync("/api/v1/cohorts", request, DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("'text' is not a variable type", Assert.Single(problem.FieldErrors("variables[1].type")), StringComparison.Ordinal);
        await AssertNoCohortMatchesAsync(tag);
    }

    [Fact]
    public async Task Create_WithUnknownDuoCode_AnswersFieldErrorAndStoresNothing()
    {
        var tag = CohortSamples.UniqueTag();
        var request = CohortSamples.Valid(tag) with { DataUse = ["DUO:0000006", "DUO:9999999"] };

        var problem = await (await _client.PostAsJsonAsync("/api/v1/cohorts", request, DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("DUO:9999999", Assert.Single(problem.FieldErrors("dataUse[1]")), StringComparison.Ordinal);
        await AssertNoCohortMatchesAsync(tag);
    }

    [Fact]
    public async Task Create_WithANullDuoCode_AnswersFieldErrorAndStoresNothing()
    {
        var tag = CohortSamples.UniqueTag();
        var request = CohortSamples.Valid(tag) with { DataUse = [null!] };

        var problem = await (await _client.PostAsJsonAsync("/api/v1/cohorts", request, DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("dataUse[0]"));
        await AssertNoCohortMatchesAsync(tag);
    }

    [Fact]
    public async Task Create_WithMalformedJson_AnswersProblemAndStoresNothing()
    {
        var tag = CohortSamples.UniqueTag();
        var json = $$"""{ "name": "COVID-19 CT cohort {{tag}}", "size": 12, """;

        var problem = await (await _client.PostAsync("/api/v1/cohorts", new StringContent(json, Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("could not be read", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNoCohortMatchesAsync(tag);
    }

    [Fact]
    public async Task Create_WithWrongJsonType_AnswersProblemNamingTheField()
    {
        var json = """{ "name": "COVID-19 CT cohort", "size": "many" }""";

        var problem = await (await _client.PostAsync("/api/v1/cohorts", new StringContent(json, Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("$.size", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithOversizedBody_Answers413AndStoresNothing()
    {
        var tag = CohortSamples.UniqueTag();
        var request = CohortSamples.Valid(tag) with { Description = new string('x', 2 * 1024 * 1024) };

        await (await _client.PostAsJsonAsync("/api/v1/cohorts", request, DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        await AssertNoCohortMatchesAsync(tag);
    }

    [Fact]
    public async Task Get_UnknownCohort_Answers404Problem()
    {
        var problem = await (await _client.GetAsync($"/api/v1/cohorts/{Guid.NewGuid()}"))
            .AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("cohort.not_found", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Update_WithCurrentVersion_SavesTheNextVersion()
    {
        var created = await CreateAsync(CohortSamples.Valid(CohortSamples.UniqueTag()));
        var change = CohortSamples.Valid(CohortSamples.UniqueTag()) with { Size = 500, Countries = ["NL", "BE"] };

        var response = await PutAsync(created.Id, change, "\"1\"");
        var updated = await response.ReadAsAsync<CohortResponse>(HttpStatusCode.OK);

        Assert.Equal(2, updated.Version);
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());
        Assert.Equal(500, updated.Size);
        Assert.Equal(["NL", "BE"], updated.Countries);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        var read = await (await _client.GetAsync($"/api/v1/cohorts/{created.Id}")).ReadAsAsync<CohortResponse>(HttpStatusCode.OK);
        Assert.Equal(500, read.Size);
    }

    [Fact]
    public async Task Update_WithStaleVersion_Answers412AndKeepsTheCohort()
    {
        var created = await CreateAsync(CohortSamples.Valid(CohortSamples.UniqueTag()));
        (await PutAsync(created.Id, CohortSamples.Valid(CohortSamples.UniqueTag()) with { Size = 1 }, "\"1\"")).EnsureSuccessStatusCode();

        var problem = await (await PutAsync(created.Id, CohortSamples.Valid(CohortSamples.UniqueTag()) with { Size = 2 }, "\"1\""))
            .AssertProblemAsync(HttpStatusCode.PreconditionFailed);

        Assert.Equal("cohort.stale_version", problem.GetProperty("code").GetString());
        var read = await (await _client.GetAsync($"/api/v1/cohorts/{created.Id}")).ReadAsAsync<CohortResponse>(HttpStatusCode.OK);
        Assert.Equal((2, 1), (read.Version, read.Size));
    }

    [Fact]
    public async Task Update_WithoutIfMatch_Answers428()
    {
        var created = await CreateAsync(CohortSamples.Valid(CohortSamples.UniqueTag()));

        var problem = await (await PutAsync(created.Id, CohortSamples.Valid("other"), ifMatch: null))
            .AssertProblemAsync(HttpStatusCode.PreconditionRequired);

        Assert.Equal("cohort.version_required", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Update_WithInvalidBody_AnswersFieldErrorsAndKeepsTheVersion()
    {
        var created = await CreateAsync(CohortSamples.Valid(CohortSamples.UniqueTag()));

        var problem = await (await PutAsync(created.Id, CohortSamples.Valid("x") with { Countries = ["Netherlands"] }, "\"1\""))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("countries[0]"));
        var read = await (await _client.GetAsync($"/api/v1/cohorts/{created.Id}")).ReadAsAsync<CohortResponse>(HttpStatusCode.OK);
        Assert.Equal(1, read.Version);
    }

    [Fact]
    public async Task Update_UnknownCohort_Answers404()
    {
        await (await PutAsync(Guid.NewGuid(), CohortSamples.Valid("x"), "\"1\"")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Search_ByEachFacet_FindsOnlyTheMatchingCohorts()
    {
        var tag = CohortSamples.UniqueTag();
        var dutch = await CreateAsync(CohortSamples.Valid($"{tag} a", country: "NL", dataUse: "DUO:0000042"));
        var belgian = await CreateAsync(CohortSamples.Valid($"{tag} b", country: "BE", dataUse: "DUO:0000007") with
        {
            Variables = [new VariableDefinition("lung_volume", "Lung volume", "decimal", "L")],
        });

        Assert.Equal([dutch.Id, belgian.Id], await SearchIdsAsync($"q={tag}"));
        Assert.Equal([dutch.Id, belgian.Id], await SearchIdsAsync($"q={tag.ToUpperInvariant()}"));
        Assert.Equal([belgian.Id], await SearchIdsAsync($"q={tag}&country=BE"));
        Assert.Equal([dutch.Id], await SearchIdsAsync($"q={tag}&variable=icu"));
        Assert.Equal([belgian.Id], await SearchIdsAsync($"q={tag}&dataUse=DUO:0000007"));
        Assert.Equal([belgian.Id], await SearchIdsAsync($"q={tag}&variable=lung_volume&country=BE&dataUse=DUO:0000007"));
        Assert.Empty(await SearchIdsAsync($"q={tag}&variable=lung_volume&country=NL"));
    }

    [Fact]
    public async Task Search_Paging_ReturnsEachCohortOnceWithTheTotal()
    {
        var tag = CohortSamples.UniqueTag();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await CreateAsync(CohortSamples.Valid($"{tag} {i}"))).Id);
        }

        var pages = new List<Paged<CohortResponse>>();
        for (var page = 1; page <= 3; page++)
        {
            pages.Add(await (await _client.GetAsync($"/api/v1/cohorts?q={tag}&page={page}&pageSize=2"))
                .ReadAsAsync<Paged<CohortResponse>>(HttpStatusCode.OK));
        }

        Assert.All(pages, page => Assert.Equal(5, page.Total));
        Assert.Equal([2, 2, 1], pages.Select(page => page.Items.Count));
        Assert.Equal(ids.Order(), pages.SelectMany(page => page.Items).Select(item => item.Id).Order());
    }

    [Theory]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("page=0", "page")]
    public async Task Search_WithPagingOutOfRange_AnswersFieldError(string query, string field)
    {
        var problem = await (await _client.GetAsync($"/api/v1/cohorts?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors(field));
    }

    private async Task<CohortResponse> CreateAsync(CohortRequest request) =>
        await (await _client.PostAsJsonAsync("/api/v1/cohorts", request, DragonJson.Options)).ReadAsAsync<CohortResponse>(HttpStatusCode.Created);

    private Task<HttpResponseMessage> PutAsync(Guid id, CohortRequest request, string? ifMatch)
    {
        var message = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/cohorts/{id}")
        {
            Content = JsonContent.Create(request, options: DragonJson.Options),
        };
        if (ifMatch is not null)
        {
            message.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }
        return _client.SendAsync(message);
    }

    private async Task<List<Guid>> SearchIdsAsync(string query)
    {
        var page = await (await _client.GetAsync($"/api/v1/cohorts?{query}")).ReadAsAsync<Paged<CohortResponse>>(HttpStatusCode.OK);
        return [.. page.Items.Select(item => item.Id)];
    }

    private async Task AssertNoCohortMatchesAsync(string tag)
    {
        var page = await (await _client.GetAsync($"/api/v1/cohorts?q={tag}")).ReadAsAsync<Paged<CohortResponse>>(HttpStatusCode.OK);
        Assert.Equal(0, page.Total);
    }
}

public sealed class SqliteCatalogueApiTests(SqliteApiFixture fixture) : CatalogueApiTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresCatalogueApiTests(PostgresApiFixture fixture) : CatalogueApiTests(fixture), IClassFixture<PostgresApiFixture>;
