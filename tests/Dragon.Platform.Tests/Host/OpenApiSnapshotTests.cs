using System.Text.Json;
using System.Text.Json.Nodes;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Host;

/// <summary>
/// <c>clients/openapi.json</c>, which the generated client (<c>clients/Dragon.Client</c>) is built from, is the document
/// the platform serves: a route or a field changed without regenerating fails here. Set <c>DRAGON_UPDATE_OPENAPI=1</c>
/// to write the served document over it.
/// </summary>
public sealed class OpenApiSnapshotTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [Fact]
    public async Task CommittedDocument_IsTheServedOne()
    {
        var served = JsonNode.Parse(await fixture.Factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        served.AsObject().Remove("servers");
        var text = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var path = Path.Combine(RepositoryRoot(), "clients", "openapi.json");

        if (Environment.GetEnvironmentVariable("DRAGON_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, text);
        }

        Assert.True(File.Exists(path) && await File.ReadAllTextAsync(path) == text,
            $"{path} is not the document the platform serves; run the tests with DRAGON_UPDATE_OPENAPI=1 to write it, then rebuild the client.");
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Dragon.Platform.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("The repository root (Dragon.Platform.sln) is not above the test's output.");
    }
}
