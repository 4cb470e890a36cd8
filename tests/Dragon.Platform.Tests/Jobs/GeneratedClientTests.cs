using System.Net;
using System.Net.Http.Json;
using Dragon.Client;
using Dragon.Client.Models;
using Dragon.Contracts.Common;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>
/// The researcher's flow through the C# client Kiota generates from the served OpenAPI document
/// (<c>clients/Dragon.Client</c>): request access, find the agreement, submit a job, read its result.
/// </summary>
public sealed class GeneratedClientTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [Fact]
    public async Task Researcher_RequestsAccess_ListsAgreements_SubmitsAJob_AndReadsTheResult_WithTheGeneratedClient()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory);
        using var http = fixture.Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = s.Researcher.Client.DefaultRequestHeaders.Authorization;
        var client = new DragonApiClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') });

        var request = await client.Api.V1.AccessRequests.PostAsync(new AccessRequestBody
        {
            Title = "Generated client", Purpose = "DUO:0000006", CohortIds = [.. s.Cohorts.Select(c => (Guid?)c.Id)],
            Variables = ["age"], Aggregations = ["count"], Justification = "The researcher's flow through a generated client.", DurationDays = 30,
        });
        var decided = await (await s.Steward.Client.PostAsJsonAsync($"/api/v1/access-requests/{request!.Id}/decisions",
            new Dragon.Contracts.Access.DecisionRequest("approve", "Approved.", "exact"), DragonJson.Options)).ReadAsAsync<Dragon.Contracts.Access.AccessRequestResponse>(HttpStatusCode.OK);
        var agreements = await client.Api.V1.Agreements.GetAsync();
        var submitted = await client.Api.V1.Jobs.PostAsync(new JobRequest
        {
            AgreementId = decided.AgreementId, KeySetId = s.KeySetId, CohortIds = [.. s.Cohorts.Select(c => (Guid?)c.Id)],
            Aggregation = new AggregationSpec { Kind = "count" },
        });
        await s.ContributeAllAsync(submitted!.Id!.Value, [2], [3], [4]);
        foreach (var node in s.Nodes)
        {
            (await s.ShareAsync(node, submitted.Id.Value)).EnsureSuccessStatusCode();
        }
        var job = await client.Api.V1.Jobs[submitted.Id.Value].GetAsync();
        for (var tries = 0; job!.Status != "released" && tries < 300; tries++)
        {
            await Task.Delay(100);
            job = await client.Api.V1.Jobs[submitted.Id.Value].GetAsync();
        }

        Assert.Equal("Submitted", request.Status, ignoreCase: true);
        Assert.Contains(agreements!.Items!, a => a.Id == decided.AgreementId && a.Status == "active");
        Assert.Equal("released", job.Status);
        Assert.Equal(9, Assert.Single(job.Result!.Cells!).Value);
    }
}
