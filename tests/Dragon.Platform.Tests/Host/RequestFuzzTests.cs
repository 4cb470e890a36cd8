using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Identity;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Dragon.Platform.Tests.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Dragon.Platform.Tests.Host;

/// <summary>
/// Every operation of the served OpenAPI document, called by a caller its permission admits (anonymously for the public
/// ones) with generated path values, query values and bodies (<see cref="SchemaBodies"/>), against a host holding a
/// consortium with a key set and a job: no answer is a server error, every refusal is problem+json, and a refused
/// request leaves the database as it was (<see cref="DatabaseFingerprint"/> before and after each). Background work is
/// off in this host, so only the requests change the database. <c>DRAGON_FUZZ_HTTP</c> sets the requests per operation.
/// </summary>
public sealed partial class RequestFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly int RequestsPerOperation =
        int.TryParse(Environment.GetEnvironmentVariable("DRAGON_FUZZ_HTTP"), out var count) && count > 0 ? count : 50;

    /// <summary>Roles tried in this order for an operation; the first its permission admits calls it.</summary>
    private static readonly string[] Callers = [DragonRoles.PartnerNode, DragonRoles.Researcher, DragonRoles.DataSteward, DragonRoles.Admin, DragonRoles.Patient, DragonRoles.Auditor];

    private readonly DragonApiFactory _factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, DragonApiFactory.WithoutBackgroundWork);
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private List<Guid> _knownIds = [];

    /// <summary>The database as the last refused request left it (unchanged, so the next request's "before"); null after an accepted one.</summary>
    private DatabaseFingerprint? _unchanged;

    public async Task InitializeAsync()
    {
        var scenario = await JobScenario.CreateAsync(_factory);
        await scenario.SubmitAsync(new AggregationSpec("count"));
        _clients[DragonRoles.PartnerNode] = scenario.Nodes[0].Client;
        _clients[DragonRoles.Researcher] = scenario.Researcher.Client;
        _clients[DragonRoles.DataSteward] = scenario.Steward.Client;
        _clients[DragonRoles.Admin] = await _factory.Accounts.AdminAsync();
        _clients[DragonRoles.Patient] = (await _factory.Accounts.AsAsync(DragonRoles.Patient)).Client;
        _clients[DragonRoles.Auditor] = (await _factory.Accounts.AsAsync(DragonRoles.Auditor)).Client;
        _clients[""] = _factory.CreateClient();
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        _knownIds =
        [
            .. await db.Jobs.Select(j => j.Id).ToListAsync(), .. await db.Agreements.Select(a => a.Id).ToListAsync(),
            .. await db.AccessRequests.Select(a => a.Id).ToListAsync(), .. await db.Cohorts.Select(c => c.Id).ToListAsync(),
            .. await db.Nodes.Select(n => n.Id).ToListAsync(), .. await db.KeySets.Select(k => k.Id).ToListAsync(),
            .. await db.Users.Select(u => u.Id).ToListAsync(),
        ];
    }

    public Task DisposeAsync()
    {
        _factory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task EveryOperation_GeneratedRequests_NeverFailTheServerAndRefusalsChangeNothing()
    {
        var document = JsonDocument.Parse(await _clients[""].GetStringAsync("/openapi/v1.json")).RootElement;
        var bodies = new SchemaBodies(document, _knownIds);
        var matrix = PermissionMatrix.Load(new Dragon.Platform.Policies.PolicyOptions().ResolveDirectory());
        var summary = new List<string>();
        // Operations that end things go after the rest, and those that shut a caller out (its node suspended, its own
        // account erased) last of all, so every other operation is fuzzed by callers that are still let in.
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => (Path: path, Method: method)))
            .OrderBy(o => o.Path.Name.EndsWith("/suspend", StringComparison.Ordinal) || o.Path.Name == "/api/v1/me/erasure" ? 2 : EndsThings().IsMatch(o.Path.Name) ? 1 : 0)
            .ToList();
        foreach (var (path, method) in operations)
        {
            var operation = method.Value;
            var permission = operation.TryGetProperty("x-dragon-permission", out var p) ? p.GetString() : null;
            var isPublic = operation.TryGetProperty("x-dragon-public", out var pub) && pub.GetBoolean();
            var caller = isPublic ? "" : Callers.First(role => matrix.Allows(role, permission!));
            var key = $"{method.Name.ToUpperInvariant()} {path.Name}";
            var statuses = new SortedDictionary<int, int>();
            Requests(bodies, method.Name.ToUpperInvariant(), path.Name, operation).Sample(request =>
            {
                var status = Task.Run(() => SendAsync(key, caller, request)).GetAwaiter().GetResult();
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
            }, iter: RequestsPerOperation, threads: 1);
            summary.Add($"{key} as {(caller == "" ? "anyone" : caller)}: {RequestsPerOperation} requests, statuses {string.Join(", ", statuses.Select(s => $"{s.Key} x{s.Value}"))}");
        }
        foreach (var line in summary)
        {
            output.WriteLine(line);
        }
        Assert.True(summary.Count >= 60, $"only {summary.Count} operations walked");
        Assert.Contains("AuditEvents=", (await DatabaseFingerprint.TakeAsync(_factory.Services)).Counts, StringComparison.Ordinal);
    }

    [GeneratedRegex("revoke|erasure|retire|withdraw|cancel")]
    private static partial Regex EndsThings();

    private async Task<int> SendAsync(string key, string caller, FuzzRequest request)
    {
        var before = _unchanged ?? await DatabaseFingerprint.TakeAsync(_factory.Services);
        _unchanged = null;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.MediaType!);
        }
        using var response = await _clients[caller].SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{key}: {status} for {request}");
        if (status >= 400)
        {
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{key}: {status} as {response.Content.Headers.ContentType} for {request}");
            var after = await DatabaseFingerprint.TakeAsync(_factory.Services);
            Assert.True(before == after, $"{key}: refused with {status}, yet the database changed ({before} -> {after}) for {request}");
            _unchanged = after;
        }
        return status;
    }

    private static Gen<FuzzRequest> Requests(SchemaBodies bodies, string method, string path, JsonElement operation)
    {
        var parameters = operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
        var pathValues = Gen.Frequency((6, Gen.OneOf(bodies.KnownIds.ToArray())), (2, Gen.Guid.Select(g => g.ToString())), (1, Gen.OneOf("x", "00000000-0000-0000-0000-000000000000", "%00", "..", new string('9', 5000), "💉", "-1")));
        var pathGen = Regex.Matches(path, "{[^}]+}").Aggregate(Gen.Const(path), (gen, match) =>
            gen.SelectMany(url => pathValues.Select(value => url.Replace(match.Value, Uri.EscapeDataString(value), StringComparison.Ordinal))));
        var queryGen = parameters.Where(q => q.GetProperty("in").GetString() == "query").Aggregate(Gen.Const(""), (gen, q) =>
        {
            var name = q.GetProperty("name").GetString();
            var values = bodies.Mutated(bodies.Value(q.GetProperty("schema"))).Select(value => $"&{name}={Uri.EscapeDataString(QueryText(value))}");
            return gen.SelectMany(query => Gen.Frequency((1, Gen.Const("")), (2, values)).Select(part => query + part));
        });
        var content = operation.TryGetProperty("requestBody", out var requestBody) ? requestBody.GetProperty("content") : default;
        var notJson = SchemaBodies.NotJson.Select(b => new FuzzBody(b.MediaType, b.Bytes));
        var bodyGen = content.ValueKind != JsonValueKind.Object
            ? Gen.Frequency((4, Gen.Const(new FuzzBody(null, null))), (1, notJson))
            : Gen.Frequency(
                (8, bodies.Mutated(bodies.Value(content.TryGetProperty("application/json", out var json) ? json.GetProperty("schema") : default))
                    .Select(node => new FuzzBody("application/json", Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null")))),
                (2, notJson));
        return Gen.Select(pathGen, queryGen, bodyGen).Select((url, query, body) =>
            new FuzzRequest(method, query.Length == 0 ? url : $"{url}?{query[1..]}", body.MediaType, body.Bytes));
    }

    private static string QueryText(JsonNode? value) => value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString() ?? "";

    private sealed record FuzzBody(string? MediaType, byte[]? Bytes);

    private sealed record FuzzRequest(string Method, string Url, string? MediaType, byte[]? Body)
    {
        public override string ToString() =>
            $"{Method} {Url[..Math.Min(Url.Length, 300)]} {MediaType} {(Body is null ? "(no body)" : Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 600)))}";
    }
}
