using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dragon.Contracts.Access;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Contracts.Consent;
using Dragon.Contracts.Identity;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Nodes;
using Dragon.Platform.Identity;

namespace Dragon.Platform.Api.Demo;

/// <summary>
/// A person signed in to a platform over HTTP with the password grant of <c>dragon-cli</c>, and the REST calls
/// the demo consortium makes in their name. Any answer other than success throws <see cref="PlatformCallException"/>
/// with the route and the problem the platform sent.
/// </summary>
public sealed class PlatformUser : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private readonly HttpClient _http;

    private PlatformUser(HttpClient http) => _http = http;

    public static async Task<PlatformUser> SignInAsync(Uri platform, string email, string password, CancellationToken cancellationToken)
    {
        var http = new HttpClient { BaseAddress = platform, Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["client_id"] = FirstPartyClients.Cli,
                ["username"] = email,
                ["password"] = password,
                ["scope"] = "roles",
            });
            using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), form, cancellationToken);
            using var body = JsonDocument.Parse(await ReadSuccessAsync(response, "POST /connect/token", cancellationToken));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("access_token").GetString());
            return new PlatformUser(http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    public Task<UserResponse> CreateUserAsync(string email, string password, string displayName, string role, CancellationToken cancellationToken) =>
        PostAsync<UserResponse>("/api/v1/users", new CreateUserRequest(email, password, displayName, [role]), cancellationToken);

    public async Task<string> EnrollmentTokenAsync(string organisation, CancellationToken cancellationToken) =>
        (await PostAsync<EnrollmentTokenResponse>("/api/v1/nodes/enrollment-tokens", new EnrollmentTokenRequest(organisation, 1), cancellationToken)).Token;

    public Task<NodeResponse> ApproveNodeAsync(Guid nodeId, CancellationToken cancellationToken) =>
        PostAsync<NodeResponse>($"/api/v1/nodes/{nodeId}/approve", null, cancellationToken);

    public Task<CohortResponse> AddStewardAsync(Guid cohortId, Guid stewardId, CancellationToken cancellationToken) =>
        PostAsync<CohortResponse>($"/api/v1/cohorts/{cohortId}/stewards", new AddStewardRequest(stewardId), cancellationToken);

    public Task<AccessRequestResponse> RequestAccessAsync(AccessRequestBody request, CancellationToken cancellationToken) =>
        PostAsync<AccessRequestResponse>("/api/v1/access-requests", request, cancellationToken);

    public Task<AccessRequestResponse> DecideAsync(Guid requestId, string decision, string comment, CancellationToken cancellationToken, string? releaseMode = null) =>
        PostAsync<AccessRequestResponse>($"/api/v1/access-requests/{requestId}/decisions", new DecisionRequest(decision, comment, releaseMode), cancellationToken);

    public Task<KeySetResponse> CreateKeySetAsync(IReadOnlyList<Guid> nodeIds, string parameters, CancellationToken cancellationToken, int? threshold = null) =>
        PostAsync<KeySetResponse>("/api/v1/key-sets", new KeySetRequest(nodeIds, parameters, threshold), cancellationToken);

    public Task<JobResponse> SubmitJobAsync(JobRequest job, CancellationToken cancellationToken) =>
        PostAsync<JobResponse>("/api/v1/jobs", job, cancellationToken);

    public Task<JsonElement> LinkAsync(string code, CancellationToken cancellationToken) =>
        PostAsync<JsonElement>("/api/v1/me/links", new LinkRequest(code), cancellationToken);

    public Task<T> GetAsync<T>(string route, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Get, route, null, cancellationToken);

    public Task<T> PostAsync<T>(string route, object? body, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Post, route, body, cancellationToken);

    /// <summary>Polls the key set until every node has uploaded its share.</summary>
    public async Task<KeySetResponse> WaitUntilReadyAsync(Guid keySetId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var keySet = await GetAsync<KeySetResponse>($"/api/v1/key-sets/{keySetId}", cancellationToken);
            if (string.Equals(keySet.Status, "Ready", StringComparison.OrdinalIgnoreCase))
            {
                return keySet;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Polls the job until it is released, failed or cancelled, and returns it in that state.</summary>
    public Task<JobResponse> WaitUntilFinishedAsync(Guid jobId, CancellationToken cancellationToken) =>
        WaitForJobAsync(jobId, job => job.Status is "released" or "failed" or "cancelled", cancellationToken);

    /// <summary>The job as this user sees it once <paramref name="reached"/> holds.</summary>
    public async Task<JobResponse> WaitForJobAsync(Guid jobId, Func<JobResponse, bool> reached, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reached);
        while (true)
        {
            var job = await GetAsync<JobResponse>($"/api/v1/jobs/{jobId}", cancellationToken);
            if (reached(job))
            {
                return job;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(HttpMethod method, string route, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(route, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: DragonJson.Options);
        }
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await ReadSuccessAsync(response, $"{method} {route}", cancellationToken);
        return text.Length == 0 ? default! : JsonSerializer.Deserialize<T>(text, DragonJson.Options)!;
    }

    private static async Task<string> ReadSuccessAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? text : throw new PlatformCallException(call, (int)response.StatusCode, text);
    }
}
