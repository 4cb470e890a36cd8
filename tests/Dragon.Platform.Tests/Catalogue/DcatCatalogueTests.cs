using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Platform.Identity;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Catalogue;

/// <summary>
/// <c>GET /api/v1/catalogue/dcat</c> read by an RDF library (rdflib, Debian's <c>python3-rdflib</c>, which <c>test.sh</c>
/// installs): its Turtle and its JSON-LD parse into the same graph, with one dataset per cohort of the catalogue carrying
/// the cohort's id, title, country, hospital and data use (DUO permissions as ODRL purposes, modifiers as duties).
/// </summary>
public sealed class DcatCatalogueTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    private const string Python = "/usr/bin/python3";
    private const string Duo = "http://purl.obolibrary.org/obo/DUO_";

    [Fact]
    public async Task Catalogue_AsTurtleAndJsonLd_IsOneGraph_WithADatasetPerCohortAndItsDataUse()
    {
        var node = await fixture.Factory.Accounts.EnrollNodeAsync();
        var general = await PublishAsync(node.Client, CohortSamples.Valid(CohortSamples.UniqueTag(), "NL", "DUO:0000042"));
        var withDuties = await PublishAsync(node.Client, CohortSamples.Valid(CohortSamples.UniqueTag(), "IT", "DUO:0000006") with { DataUse = ["DUO:0000006", "DUO:0000043", "DUO:0000019"] });
        var researcher = (await fixture.Factory.Accounts.AsAsync(DragonRoles.Researcher)).Client;
        var listed = await (await researcher.GetAsync("/api/v1/cohorts?pageSize=100")).ReadAsAsync<Paged<CohortResponse>>(HttpStatusCode.OK);

        var jsonLd = await researcher.GetAsync("/api/v1/catalogue/dcat");
        using var turtleRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/catalogue/dcat");
        turtleRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/turtle"));
        var turtle = await researcher.SendAsync(turtleRequest);

        Assert.Equal(HttpStatusCode.OK, jsonLd.StatusCode);
        Assert.Equal("application/ld+json", jsonLd.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/turtle", turtle.Content.Headers.ContentType?.MediaType);
        using var read = await ReadAsync(await turtle.Content.ReadAsStringAsync(), await jsonLd.Content.ReadAsStringAsync());
        var root = read.RootElement;
        Assert.True(root.GetProperty("isomorphic").GetBoolean(), "the Turtle and the JSON-LD are different graphs");
        Assert.Equal(root.GetProperty("turtleTriples").GetInt32(), root.GetProperty("jsonLdTriples").GetInt32());
        var datasets = root.GetProperty("datasets");
        Assert.Equal(listed.Total, datasets.EnumerateObject().Count());

        var first = datasets.GetProperty(general.Id.ToString());
        Assert.Equal(general.Name, first.GetProperty("title").GetString());
        Assert.EndsWith($"/api/v1/cohorts/{general.Id}", first.GetProperty("iri").GetString(), StringComparison.Ordinal);
        Assert.Equal(["http://publications.europa.eu/resource/authority/country/NLD"], Strings(first, "spatial"));
        Assert.Equal([Duo + "0000042"], Strings(first, "purposes"));
        Assert.Empty(Strings(first, "duties"));
        Assert.Equal("Radboud UMC", first.GetProperty("publisher").GetString());

        var second = datasets.GetProperty(withDuties.Id.ToString());
        Assert.Equal(["http://publications.europa.eu/resource/authority/country/ITA"], Strings(second, "spatial"));
        Assert.Equal([Duo + "0000006", Duo + "0000043"], Strings(second, "purposes"));
        Assert.Equal([Duo + "0000019"], Strings(second, "duties"));
    }

    [Fact]
    public async Task Catalogue_IsRefusedToAnonymousCallers()
    {
        var response = await fixture.Factory.CreateClient().GetAsync("/api/v1/catalogue/dcat");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private static async Task<CohortResponse> PublishAsync(HttpClient node, CohortRequest request) =>
        await (await node.PostAsJsonAsync("/api/v1/cohorts", request, DragonJson.Options)).ReadAsAsync<CohortResponse>(HttpStatusCode.Created);

    private static List<string> Strings(JsonElement dataset, string name) => [.. dataset.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>Runs <c>read_dcat.py</c> over the two forms and returns what it printed.</summary>
    private static async Task<JsonDocument> ReadAsync(string turtle, string jsonLd)
    {
        var folder = Directory.CreateTempSubdirectory("dragon-dcat-");
        try
        {
            var turtleFile = Path.Combine(folder.FullName, "catalogue.ttl");
            var jsonLdFile = Path.Combine(folder.FullName, "catalogue.jsonld");
            await File.WriteAllTextAsync(turtleFile, turtle);
            await File.WriteAllTextAsync(jsonLdFile, jsonLd);
            var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Catalogue", "read_dcat.py"), turtleFile, jsonLdFile })
            {
                start.ArgumentList.Add(arg);
            }
            using var python = Process.Start(start)!;
            var output = python.StandardOutput.ReadToEndAsync();
            var errors = python.StandardError.ReadToEndAsync();
            await python.WaitForExitAsync();
            Assert.True(python.ExitCode == 0, $"rdflib could not read the catalogue:\n{await errors}\n--- Turtle ---\n{turtle}");
            return JsonDocument.Parse(await output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
