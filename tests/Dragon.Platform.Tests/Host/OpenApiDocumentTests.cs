using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Host;

/// <summary>
/// The OpenAPI document as a client generator reads it: an OAuth 2.0 scheme at the platform's own token server
/// (authorization code for people, client credentials for nodes), required on exactly the protected operations, problem
/// answers on each, and an example of every kind of job request that the API itself accepts as well-formed.
/// </summary>
public sealed class OpenApiDocumentTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [Fact]
    public async Task Document_DeclaresOAuth2_WithTheTokenServersFlows()
    {
        var document = await DocumentAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2");
        Assert.Equal("oauth2", scheme.GetProperty("type").GetString());
        var flows = scheme.GetProperty("flows");
        Assert.Equal("/connect/authorize", flows.GetProperty("authorizationCode").GetProperty("authorizationUrl").GetString());
        Assert.Equal("/connect/token", flows.GetProperty("authorizationCode").GetProperty("tokenUrl").GetString());
        Assert.Equal("/connect/token", flows.GetProperty("clientCredentials").GetProperty("tokenUrl").GetString());
        Assert.True(flows.GetProperty("authorizationCode").GetProperty("scopes").TryGetProperty("roles", out _));
    }

    [Fact]
    public async Task EveryProtectedOperation_RequiresTheScheme_AndListsItsProblemAnswers_ThePublicOnesDoNot()
    {
        var document = await DocumentAsync();
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => (Key: $"{method.Name.ToUpperInvariant()} {path.Name}", Operation: method.Value)))
            .ToList();

        Assert.NotEmpty(operations);
        foreach (var (key, operation) in operations)
        {
            var isPublic = operation.TryGetProperty("x-dragon-public", out var flag) && flag.GetBoolean();
            var secured = operation.TryGetProperty("security", out var security)
                && security.EnumerateArray().Any(requirement => requirement.TryGetProperty("oauth2", out _));
            Assert.True(secured != isPublic, $"{key}: public {isPublic}, security {secured}.");
            if (!isPublic)
            {
                foreach (var status in new[] { "401", "403" })
                {
                    Assert.True(operation.GetProperty("responses").TryGetProperty(status, out var answer), $"{key} lists no {status}.");
                    Assert.True(answer.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{key}: {status} is not problem+json.");
                }
            }
        }
    }

    [Fact]
    public async Task JobSubmission_HasAnExampleOfEveryKind_EachAWellFormedJobRequest()
    {
        var document = await DocumentAsync();

        var examples = document.GetProperty("paths").GetProperty("/api/v1/jobs").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("examples");
        var kinds = examples.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetProperty("value").Deserialize<JobRequest>(DragonJson.Options)!);

        Assert.Equal(["count", "crosstab", "glm", "histogram", "mean", "sum", "variance"], kinds.Keys.Order());
        Assert.All(kinds, kind => Assert.Equal(kind.Key, kind.Value.Aggregation!.Kind));
        Assert.All(kinds.Values, request => Assert.True(request.AgreementId is not null && request.KeySetId is not null && request.CohortIds is { Count: 3 }));
    }

    private async Task<JsonElement> DocumentAsync() =>
        JsonDocument.Parse(await fixture.Factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
}
