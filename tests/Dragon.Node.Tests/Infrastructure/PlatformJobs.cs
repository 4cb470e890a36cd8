using System.Net.Http.Json;
using Dragon.Contracts.Access;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;

namespace Dragon.Node.Tests.Infrastructure;

/// <summary>What a steward or researcher does through the API around agents: an agreement and a key set, wait for the key set, run a job to its release.</summary>
internal static class PlatformJobs
{
    /// <summary>The researcher asks for <paramref name="request"/>, the steward approves it, and the steward starts a key set of <paramref name="nodeIds"/>.</summary>
    public static async Task<(Guid AgreementId, KeySetResponse KeySet)> AgreementAndKeySetAsync(
        HttpClient researcher, HttpClient steward, AccessRequestBody request, IEnumerable<Guid> nodeIds, string releaseMode = ReleaseModes.Exact, string parameters = "bfv-8192")
    {
        var asked = await (await researcher.PostAsJsonAsync("/api/v1/access-requests", request, DragonJson.Options))
            .Content.ReadFromJsonAsync<AccessRequestResponse>(DragonJson.Options);
        var approved = await (await steward.PostAsJsonAsync($"/api/v1/access-requests/{asked!.Id}/decisions", new DecisionRequest("approve", "ok", releaseMode), DragonJson.Options))
            .Content.ReadFromJsonAsync<AccessRequestResponse>(DragonJson.Options);
        using var created = await steward.PostAsJsonAsync("/api/v1/key-sets", new KeySetRequest([.. nodeIds], parameters), DragonJson.Options);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return (approved!.AgreementId!.Value, (await created.Content.ReadFromJsonAsync<KeySetResponse>(DragonJson.Options))!);
    }

    public static async Task<KeySetResponse> WaitForReadyAsync(HttpClient client, Guid keySetId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var keySet = (await client.GetFromJsonAsync<KeySetResponse>($"/api/v1/key-sets/{keySetId}", DragonJson.Options, cancellationToken))!;
            if (keySet.CollectivePublicKey is not null)
            {
                return keySet;
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Submits a job and waits until it is released; fails the test if it fails or is cancelled.</summary>
    public static async Task<JobResult> RunAsync(HttpClient researcher, JobRequest request, CancellationToken cancellationToken)
    {
        var job = await FinishAsync(researcher, request, cancellationToken);
        Assert.True(job.Status == "released", $"Job {job.Id} is {job.Status}: {job.Failure}");
        return job.Result!;
    }

    /// <summary>Submits a job and waits until it is released, failed or cancelled.</summary>
    public static async Task<JobResponse> FinishAsync(HttpClient researcher, JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(researcher);
        using var submitted = await researcher.PostAsJsonAsync("/api/v1/jobs", request, DragonJson.Options, cancellationToken);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync(cancellationToken));
        var job = (await submitted.Content.ReadFromJsonAsync<JobResponse>(DragonJson.Options, cancellationToken))!;
        while (true)
        {
            var current = (await researcher.GetFromJsonAsync<JobResponse>($"/api/v1/jobs/{job.Id}", DragonJson.Options, cancellationToken))!;
            if (current.Status is "released" or "failed" or "cancelled")
            {
                return current;
            }
            await Task.Delay(100, cancellationToken);
        }
    }
}
