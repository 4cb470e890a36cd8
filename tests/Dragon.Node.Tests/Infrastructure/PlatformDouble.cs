using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Consent;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Nodes;

namespace Dragon.Node.Tests.Infrastructure;

/// <summary>
/// A stand-in for the platform's node-facing routes that serves whatever the test puts in it (tasks, key sets) and
/// keeps every upload, so a test can play a malicious platform against the real agent code: enrollment, token,
/// heartbeat, consent feed, tasks, key sets, and the key-share, commitment, contribution and decryption-share uploads.
/// It checks nothing; the node must.
/// </summary>
public sealed class PlatformDouble : HttpMessageHandler
{
    public static readonly Uri Address = new("http://platform.test/");

    private readonly List<(string Path, string Body)> _uploads = [];

    public Guid NodeId { get; } = Guid.NewGuid();

    /// <summary>The identity key the node registered at enrollment (base64).</summary>
    public string? IdentityKey { get; private set; }

    /// <summary>What <c>GET /api/v1/nodes/me/tasks</c> answers.</summary>
    public List<NodeTask> Tasks { get; } = [];

    /// <summary>What <c>GET /api/v1/key-sets/{id}</c> answers.</summary>
    public Dictionary<Guid, KeySetResponse> KeySets { get; } = [];

    /// <summary>What <c>GET /api/v1/key-sets/{id}/threshold-shares</c> answers: the shares dealt to this node.</summary>
    public Dictionary<Guid, List<SealedThresholdShare>> ThresholdShares { get; } = [];

    /// <summary>Routes whose uploads the double keeps but whose answers it loses (502), as when a node stops or the network fails after the platform took the upload.</summary>
    public HashSet<string> LoseAnswersTo { get; } = [];

    public IReadOnlyList<(string Path, string Body)> Uploads
    {
        get
        {
            lock (_uploads)
            {
                return [.. _uploads];
            }
        }
    }

    /// <summary>The bodies uploaded to a route, in order.</summary>
    public IReadOnlyList<T> UploadsTo<T>(string path) =>
        [.. Uploads.Where(u => u.Path == path).Select(u => JsonSerializer.Deserialize<T>(u.Body, DragonJson.Options)!)];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = request.Content is null ? ""
            // A binary contribution is recorded in its JSON form, so every upload reads back the same way.
            : request.Content.Headers.ContentType?.MediaType == CiphertextFrames.MediaType
                ? JsonSerializer.Serialize(new ContributionUpload(Convert.ToBase64String(await request.Content.ReadAsByteArrayAsync(cancellationToken))), DragonJson.Options)
                : await request.Content.ReadAsStringAsync(cancellationToken);
        if (request.Method == HttpMethod.Get)
        {
            return path switch
            {
                "/api/v1/nodes/me/tasks" => Json(Tasks.ToList()),
                "/api/v1/nodes/me/consent-changes" => Json(new ConsentFeed([], 0)),
                _ when path.EndsWith("/contributions", StringComparison.Ordinal) => Contributions(Guid.Parse(path.Split('/')[^2])),
                _ when path.EndsWith("/threshold-shares", StringComparison.Ordinal) && ThresholdShares.TryGetValue(Guid.Parse(path.Split('/')[^2]), out var dealt) => Json(dealt),
                _ when path.StartsWith("/api/v1/key-sets/", StringComparison.Ordinal) && KeySets.TryGetValue(Guid.Parse(path.Split('/')[^1]), out var keySet) => Json(keySet),
                _ => new HttpResponseMessage(HttpStatusCode.NotFound),
            };
        }
        switch (path)
        {
            case "/connect/token":
                return Json(new Dictionary<string, object> { ["access_token"] = "token", ["token_type"] = "Bearer", ["expires_in"] = 3600 });
            case "/api/v1/nodes/enroll":
                IdentityKey = JsonSerializer.Deserialize<EnrollRequest>(body, DragonJson.Options)!.IdentityKey;
                return Json(new EnrollResponse(NodeId, $"node-{NodeId:N}", "client secret of the double"), HttpStatusCode.Created);
            case "/api/v1/nodes/me/heartbeat":
                return Json(new { });
        }
        lock (_uploads)
        {
            _uploads.Add((path, body));
        }
        if (LoseAnswersTo.Contains(path))
        {
            return new HttpResponseMessage(HttpStatusCode.BadGateway);
        }
        var segments = path.Split('/');
        return segments[^1] is "shares" or "threshold-shares" && KeySets.TryGetValue(Guid.Parse(segments[^2]), out var set)
            ? Json(set)
            : Json(new NodeJobResponse(Guid.Parse(segments[^2]), "collecting", "pending"));
    }

    /// <summary>The double serves, as binary, the contributions its decryption task for the job lists.</summary>
    private HttpResponseMessage Contributions(Guid jobId) =>
        Tasks.LastOrDefault(t => t.JobId == jobId && t.Kind == "decryptionShare") is { Contributions: { } listed }
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(CiphertextFrames.Write([.. listed.Select(Convert.FromBase64String)])) }
            : new HttpResponseMessage(HttpStatusCode.NotFound);

    private static HttpResponseMessage Json<T>(T value, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = JsonContent.Create(value, options: DragonJson.Options) };
}
