using System.Net;
using System.Text;
using System.Text.Json;
using Dragon.Platform.Identity;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Identity;

/// <summary>
/// Walks every operation of <c>/openapi/v1.json</c>: anonymous callers are refused except on the public routes,
/// and every role (and partner nodes) is refused where <c>policies/permissions.json</c> does not admit it.
/// </summary>
public sealed class RouteAuthorizationTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    /// <summary>The routes API.md opens to anyone.</summary>
    private static readonly HashSet<string> PublicRoutes = new(StringComparer.Ordinal)
    {
        "POST /api/v1/account/register",
        "POST /api/v1/account/confirm",
        "POST /api/v1/nodes/enroll",
        "GET /api/v1/audit/checkpoints/latest",
        "GET /api/v1/audit/keys",
    };

    [Fact]
    public async Task EveryRoute_RefusesAnonymousCallers_ExceptThePublicOnes()
    {
        var operations = await OperationsAsync();
        var client = fixture.Factory.CreateClient();

        Assert.NotEmpty(operations);
        Assert.Equal(PublicRoutes.Order(), operations.Where(o => o.Public).Select(o => o.Key).Order());
        foreach (var operation in operations.Where(o => !o.Public))
        {
            var response = await client.SendAsync(operation.Request());
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{operation.Key} answered {(int)response.StatusCode} to an anonymous caller.");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task EveryProtectedRoute_NamesAPermissionOfTheMatrix()
    {
        var operations = await OperationsAsync();

        Assert.All(operations.Where(o => !o.Public), operation =>
            Assert.True(operation.Permission is not null && Permissions.All.Contains(operation.Permission), $"{operation.Key} names no known permission."));
    }

    [Theory]
    [InlineData(DragonRoles.Admin)]
    [InlineData(DragonRoles.DataSteward)]
    [InlineData(DragonRoles.Researcher)]
    [InlineData(DragonRoles.Patient)]
    [InlineData(DragonRoles.Auditor)]
    [InlineData(DragonRoles.PartnerNode)]
    public async Task EveryRoute_RefusesARoleThatDoesNotHoldItsPermission(string role)
    {
        var matrix = PermissionMatrix.Load(new Dragon.Platform.Policies.PolicyOptions().ResolveDirectory());
        var client = role == DragonRoles.PartnerNode
            ? (await fixture.Factory.Accounts.EnrollNodeAsync()).Client
            : (await fixture.Factory.Accounts.AsAsync(role)).Client;
        var refused = (await OperationsAsync()).Where(o => !o.Public && !matrix.Allows(role, o.Permission!)).ToList();

        Assert.NotEmpty(refused);
        foreach (var operation in refused)
        {
            var response = await client.SendAsync(operation.Request());
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{operation.Key} answered {(int)response.StatusCode} to {role}.");
        }
    }

    private async Task<List<Operation>> OperationsAsync()
    {
        var document = JsonDocument.Parse(await fixture.Factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        var operations = new List<Operation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject())
            {
                var permission = method.Value.TryGetProperty("x-dragon-permission", out var p) ? p.GetString() : null;
                var isPublic = method.Value.TryGetProperty("x-dragon-public", out var pub) && pub.GetBoolean();
                operations.Add(new Operation(method.Name.ToUpperInvariant(), path.Name, permission, isPublic));
            }
        }
        return operations;
    }

    private sealed record Operation(string Method, string Path, string? Permission, bool Public)
    {
        public string Key => $"{Method} {Path}";

        public HttpRequestMessage Request()
        {
            var url = System.Text.RegularExpressions.Regex.Replace(Path, "{[^}]+}", Guid.NewGuid().ToString());
            var request = new HttpRequestMessage(new HttpMethod(Method), url);
            if (Method is "POST" or "PUT")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }
            return request;
        }
    }
}
