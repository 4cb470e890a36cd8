using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dragon.Contracts.Audit;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Contracts.Consent;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Nodes;
using Dragon.Node.Cli;

namespace Dragon.Node.Platform;

/// <summary>The node's side of the platform's REST API (version 1); every call is HTTP, the node never links the platform.</summary>
public sealed class PlatformClient : IDisposable
{
    private readonly HttpClient _http;

    public PlatformClient(Uri platform, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(handler);
        var baseAddress = platform.AbsoluteUri.EndsWith('/') ? platform : new Uri(platform.AbsoluteUri + "/");
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("dragon-node", AgentVersion.Current));
    }

    /// <summary>Reads <c>--platform</c>: an absolute http or https address.</summary>
    /// <exception cref="UsageException">Anything else.</exception>
    public static Uri ParseAddress(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new UsageException($"--platform must be the platform's address, such as https://dragon.example.org; '{text}' is not.");
    }

    public async Task<EnrollResponse> EnrollAsync(EnrollRequest request, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("api/v1/nodes/enroll", request, DragonJson.Options, cancellationToken);
        return await ReadAsync<EnrollResponse>(response, "Enrolling", cancellationToken);
    }

    /// <summary>Gets an access token with the client credentials grant and uses it for every later call.</summary>
    /// <exception cref="PlatformException">The credentials are refused; for <c>invalid_client</c> the message says the node may await approval.</exception>
    public async Task SignInAsync(Guid nodeId, string clientId, string clientSecret, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        });
        using var response = await _http.PostAsync("connect/token", form, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            if (PlatformProblem.OAuthError(body) == "invalid_client")
            {
                throw new PlatformException(response.StatusCode,
                    $"The platform refused this node's client credentials (invalid_client). A newly enrolled node cannot sign in until a " +
                    $"data steward or an administrator approves it (POST /api/v1/nodes/{nodeId}/approve); a suspended node is refused as well. " +
                    "Ask your platform contact to approve node " + nodeId + ".");
            }
            throw await PlatformProblem.ReadAsync(response, "Signing in", cancellationToken);
        }
        var token = ReadAccessToken(body);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<CohortResponse> CreateCohortAsync(CohortRequest request, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("api/v1/cohorts", request, DragonJson.Options, cancellationToken);
        return await ReadAsync<CohortResponse>(response, "Publishing the cohort", cancellationToken);
    }

    /// <summary>The cohort, or null when the platform does not know it (or no longer shows it to this node).</summary>
    public async Task<CohortResponse?> FindCohortAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"api/v1/cohorts/{id}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        return await ReadAsync<CohortResponse>(response, $"Reading cohort {id}", cancellationToken);
    }

    /// <summary>Saves a new version of the cohort, conditional on <paramref name="version"/> being the current one.</summary>
    public async Task<CohortResponse> UpdateCohortAsync(Guid id, int version, CohortRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Put, $"api/v1/cohorts/{id}")
        {
            Content = JsonContent.Create(request, options: DragonJson.Options),
        };
        message.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\""));
        using var response = await _http.SendAsync(message, cancellationToken);
        return await ReadAsync<CohortResponse>(response, $"Updating cohort {id}", cancellationToken);
    }

    /// <summary>Registers up to 1,000 consents in one transaction: all of them, or none when one is refused.</summary>
    public async Task<ConsentBatchResponse> RegisterConsentsAsync(IReadOnlyList<ConsentRequest> consents, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("api/v1/consents/batch", new ConsentBatchRequest(consents), DragonJson.Options, cancellationToken);
        return await ReadAsync<ConsentBatchResponse>(response, "Registering consents", cancellationToken);
    }

    public async Task<LinkCodeResponse> IssueLinkCodeAsync(LinkCodeRequest request, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("api/v1/consents/link-codes", request, DragonJson.Options, cancellationToken);
        return await ReadAsync<LinkCodeResponse>(response, "Issuing a link code", cancellationToken);
    }

    public async Task<SubjectErasureResponse> EraseSubjectAsync(SubjectErasureRequest request, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("api/v1/consents/erasures", request, DragonJson.Options, cancellationToken);
        return await ReadAsync<SubjectErasureResponse>(response, "Erasing a subject", cancellationToken);
    }

    public async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("api/v1/nodes/me/heartbeat", new HeartbeatRequest(AgentVersion.Current), DragonJson.Options, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await PlatformProblem.ReadAsync(response, "Sending the heartbeat", cancellationToken);
        }
    }

    /// <summary>The next page of this node's consent change feed after <paramref name="cursor"/>.</summary>
    public async Task<ConsentFeed> ConsentChangesAsync(long cursor, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"api/v1/nodes/me/consent-changes?after={cursor}"), cancellationToken);
        return await ReadAsync<ConsentFeed>(response, "Reading consent changes", cancellationToken);
    }

    /// <summary>
    /// The platform's push channel: the type of each server-sent event until the platform ends the stream (it does every
    /// few minutes) or the connection drops.
    /// </summary>
    public async IAsyncEnumerable<string> TaskEventsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/nodes/me/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await PlatformProblem.ReadAsync(response, "Listening for tasks", cancellationToken);
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            yield return item.EventType;
        }
    }

    /// <summary>A decrypting job's contributions, at most <paramref name="maxCount"/> of at most <paramref name="maxBytes"/> each.</summary>
    /// <exception cref="PlatformException">The platform refused.</exception>
    /// <exception cref="InvalidDataException">It sent more or larger ciphertexts than that, or cut them short.</exception>
    public async Task<IReadOnlyList<byte[]>> ContributionsAsync(Guid jobId, int maxCount, long maxBytes, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"api/v1/jobs/{jobId}/contributions", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await PlatformProblem.ReadAsync(response, $"Reading the contributions to job {jobId}", cancellationToken);
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await CiphertextFrames.ReadAsync(stream, maxCount, maxBytes, cancellationToken);
    }

    public async Task<IReadOnlyList<NodeTask>> TasksAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("api/v1/nodes/me/tasks", cancellationToken);
        return await ReadAsync<List<NodeTask>>(response, "Reading tasks", cancellationToken);
    }

    public async Task UploadKeyShareAsync(Guid keySetId, KeyShareUpload upload, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync($"api/v1/key-sets/{keySetId}/shares", upload, DragonJson.Options, cancellationToken);
        await ReadAsync<KeySetResponse>(response, $"Uploading the key share for key set {keySetId}", cancellationToken);
    }

    public async Task UploadThresholdSharesAsync(Guid keySetId, ThresholdSharesUpload upload, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync($"api/v1/key-sets/{keySetId}/threshold-shares", upload, DragonJson.Options, cancellationToken);
        await ReadAsync<KeySetResponse>(response, $"Uploading the threshold shares for key set {keySetId}", cancellationToken);
    }

    public async Task<List<SealedThresholdShare>> ThresholdSharesAsync(Guid keySetId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"api/v1/key-sets/{keySetId}/threshold-shares", cancellationToken);
        return await ReadAsync<List<SealedThresholdShare>>(response, $"Reading the threshold shares dealt to this node for key set {keySetId}", cancellationToken);
    }

    public async Task<KeySetResponse> KeySetAsync(Guid keySetId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"api/v1/key-sets/{keySetId}", cancellationToken);
        return await ReadAsync<KeySetResponse>(response, $"Reading key set {keySetId}", cancellationToken);
    }

    /// <returns>The platform's signed receipt of the audit event recording the upload; null when it gave none (the same upload again, or an older platform).</returns>
    public async Task<AuditReceipt?> UploadCommitmentAsync(Guid jobId, CommitmentUpload upload, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync($"api/v1/jobs/{jobId}/commitments", upload, DragonJson.Options, cancellationToken);
        return await ReceiptAsync(response, $"Uploading the commitment to job {jobId}", cancellationToken);
    }

    /// <summary>Reveals the ciphertext committed to, as binary (a third smaller than base64 in JSON).</summary>
    /// <returns>The platform's signed receipt, as for <see cref="UploadCommitmentAsync"/>.</returns>
    public async Task<AuditReceipt?> UploadContributionAsync(Guid jobId, byte[] ciphertext, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(ciphertext);
        content.Headers.ContentType = new MediaTypeHeaderValue(CiphertextFrames.MediaType);
        using var response = await _http.PostAsync($"api/v1/jobs/{jobId}/contributions", content, cancellationToken);
        return await ReceiptAsync(response, $"Uploading the contribution to job {jobId}", cancellationToken);
    }

    /// <returns>The platform's signed receipt, as for <see cref="UploadCommitmentAsync"/>.</returns>
    public async Task<AuditReceipt?> UploadDecryptionShareAsync(Guid jobId, DecryptionShareUpload upload, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync($"api/v1/jobs/{jobId}/decryption-shares", upload, DragonJson.Options, cancellationToken);
        return await ReceiptAsync(response, $"Uploading the decryption share for job {jobId}", cancellationToken);
    }

    /// <summary>This node's own events in the platform's audit trail after <paramref name="after"/>, every page of them.</summary>
    public async Task<List<AuditEventResponse>> OwnAuditEventsAsync(long after, CancellationToken cancellationToken)
    {
        var events = new List<AuditEventResponse>();
        while (true)
        {
            using var response = await _http.GetAsync(string.Create(CultureInfo.InvariantCulture, $"api/v1/nodes/me/audit-events?after={after}"), cancellationToken);
            var page = await ReadAsync<List<AuditEventResponse>>(response, "Reading this node's events in the platform's audit trail", cancellationToken);
            if (page.Count == 0 || page[^1].Sequence <= after)
            {
                return events;
            }
            events.AddRange(page);
            after = page[^1].Sequence;
        }
    }

    /// <summary>Every key the platform's audit trail was ever signed with (the route is public).</summary>
    public async Task<List<AuditKeyResponse>> AuditKeysAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("api/v1/audit/keys", cancellationToken);
        return await ReadAsync<List<AuditKeyResponse>>(response, "Reading the platform's audit keys", cancellationToken);
    }

    /// <summary>Tells the platform this node refuses the job's current task, and why: the job fails at once, or goes on without this node where its key set allows.</summary>
    /// <returns>The job's status after the refusal (<c>failed</c>, or the step it goes on with); null when the platform did not say.</returns>
    public async Task<string?> RefuseJobAsync(Guid jobId, JobRefusal refusal, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync($"api/v1/jobs/{jobId}/refusals", refusal, DragonJson.Options, cancellationToken);
        return (await AnswerAsync(response, $"Reporting the refusal of job {jobId}", cancellationToken))?.Status;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The receipt in an upload's answer; a missing or unreadable one is null (the log then says so), never a failed upload.</summary>
    private static async Task<AuditReceipt?> ReceiptAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken) =>
        (await AnswerAsync(response, what, cancellationToken))?.Receipt;

    /// <summary>The platform's answer to an upload or a refusal; an unreadable one is null: the call itself succeeded.</summary>
    private static async Task<NodeJobResponse?> AnswerAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await PlatformProblem.ReadAsync(response, what, cancellationToken);
        }
        try
        {
            return await response.Content.ReadFromJsonAsync<NodeJobResponse>(DragonJson.Options, cancellationToken);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await PlatformProblem.ReadAsync(response, what, cancellationToken);
        }
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(DragonJson.Options, cancellationToken)
                ?? throw new NodeException($"{what}: the platform answered an empty body.");
        }
        catch (JsonException exception)
        {
            throw new NodeException($"{what}: the platform's answer is not the expected JSON ({exception.Message}).", exception);
        }
    }

    private static string ReadAccessToken(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("access_token", out var token) && token.ValueKind == JsonValueKind.String
                ? token.GetString()!
                : throw new NodeException("Signing in: the token endpoint answered without an access_token.");
        }
        catch (JsonException exception)
        {
            throw new NodeException("Signing in: the token endpoint's answer is not JSON.", exception);
        }
    }
}
