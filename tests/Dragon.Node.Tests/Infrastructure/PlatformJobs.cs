using System.Net.Http.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;

namespace Dragon.Node.Tests.Infrastructure;

/// <summary>What a steward or researcher does through the API while agents run: wait for a key set, run a job to its release.</summary>
internal static class PlatformJobs
{
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
