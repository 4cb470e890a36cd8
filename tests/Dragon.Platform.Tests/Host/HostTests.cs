using System.Net;
using System.Text.Json;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Host;

/// <summary>What the host serves besides the feature routes, on each database provider.</summary>
public abstract class HostTests(ApiFixture fixture)
{
    private readonly HttpClient _client = fixture.Factory.CreateClient();

    [Fact]
    public async Task HealthReady_WhenDatabaseAndJobStorageAnswer_IsHealthy()
    {
        var response = await _client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal(["database", "jobs"], report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order());
    }

    [Fact]
    public async Task HealthLive_Answers200()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheCohortRoutes()
    {
        var document = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");

        Assert.True(paths.GetProperty("/api/v1/cohorts").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/cohorts").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/cohorts/{id}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/cohorts/{id}").TryGetProperty("put", out _));
        Assert.Equal("Dragon Platform API", document.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task SwaggerUi_RendersAndReadsTheOpenApiDocument()
    {
        var page = await _client.GetStringAsync("/swagger/index.html");
        var initializer = await _client.GetStringAsync("/swagger/index.js");

        Assert.Contains("swagger-ui", page, StringComparison.Ordinal);
        Assert.Contains("/openapi/v1.json", initializer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_Answers404Problem()
    {
        await (await _client.GetAsync("/api/v1/no-such-thing")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongMethod_Answers405Problem()
    {
        await (await _client.DeleteAsync("/api/v1/cohorts")).AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
    }
}

public sealed class SqliteHostTests(SqliteApiFixture fixture) : HostTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresHostTests(PostgresApiFixture fixture) : HostTests(fixture), IClassFixture<PostgresApiFixture>;
