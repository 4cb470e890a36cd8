using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Identity;
using Dragon.Contracts.Nodes;
using Dragon.Platform.Identity;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Identity;

/// <summary>Partner-node enrollment, approval and suspension through HTTP, on each database provider.</summary>
public abstract class EnrollmentTests(ApiFixture fixture)
{
    private TestAccounts Accounts => fixture.Factory.Accounts;

    [Fact]
    public async Task EnrollmentToken_CannotBeUsedTwice()
    {
        var token = await IssueTokenAsync();
        var anonymous = fixture.Factory.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/v1/nodes/enroll", Enroll(token.Token), DragonJson.Options)).EnsureSuccessStatusCode();

        var problem = await (await anonymous.PostAsJsonAsync("/api/v1/nodes/enroll", Enroll(token.Token), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("node.enrollment_token_rejected", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task EnrollmentToken_AfterItExpires_IsRefusedAndCreatesNoNode()
    {
        var token = await IssueTokenAsync();
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
            await db.EnrollmentTokens.Where(t => t.UsedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }
        var nodesBefore = await CountNodesAsync();

        var problem = await (await fixture.Factory.CreateClient().PostAsJsonAsync("/api/v1/nodes/enroll", Enroll(token.Token), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("node.enrollment_token_rejected", problem.GetProperty("code").GetString());
        Assert.Equal(nodesBefore, await CountNodesAsync());
    }

    [Fact]
    public async Task Enroll_WithInvalidFields_AnswersFieldErrorsAndKeepsTheToken()
    {
        var token = await IssueTokenAsync();
        var anonymous = fixture.Factory.CreateClient();

        var problem = await (await anonymous.PostAsJsonAsync("/api/v1/nodes/enroll",
                new EnrollRequest(token.Token, "x", "Radboud UMC", "Holland", "not-an-email"), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("name"));
        Assert.NotEmpty(problem.FieldErrors("country"));
        Assert.NotEmpty(problem.FieldErrors("contactEmail"));
        Assert.NotEmpty(problem.FieldErrors("identityKey"));
        (await anonymous.PostAsJsonAsync("/api/v1/nodes/enroll", Enroll(token.Token), DragonJson.Options)).EnsureSuccessStatusCode();
    }

    [Theory]
    [InlineData("P-384 key")]
    [InlineData("not base64")]
    [InlineData("random bytes")]
    [InlineData("P-256 key with a trailing byte")]
    public async Task Enroll_WithAnIdentityKeyThatIsNotOneP256PublicKey_IsRefusedAndKeepsTheToken(string key)
    {
        var token = await IssueTokenAsync();
        var anonymous = fixture.Factory.CreateClient();
        var identityKey = key switch
        {
            "P-384 key" => IdentityKey(System.Security.Cryptography.ECCurve.NamedCurves.nistP384),
            "not base64" => "not base64!",
            "random bytes" => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(91)),
            _ => Convert.ToBase64String([.. Convert.FromBase64String(IdentityKey(System.Security.Cryptography.ECCurve.NamedCurves.nistP256)), 0]),
        };

        var problem = await (await anonymous.PostAsJsonAsync("/api/v1/nodes/enroll", Enroll(token.Token, identityKey), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("identityKey"));
        (await anonymous.PostAsJsonAsync("/api/v1/nodes/enroll", Enroll(token.Token), DragonJson.Options)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task EnrolledNode_ShowsItsIdentityKeyAndFingerprint()
    {
        var node = await Accounts.EnrollNodeAsync();

        var self = await (await node.Client.GetAsync($"/api/v1/nodes/{node.Credentials.NodeId}")).ReadAsAsync<NodeResponse>(HttpStatusCode.OK);

        var publicKey = node.Identity.ExportSubjectPublicKeyInfo();
        Assert.Equal(Convert.ToBase64String(publicKey), self.IdentityKey);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(publicKey)), self.IdentityFingerprint);
    }

    [Fact]
    public async Task Enroll_CreatesAPendingNodeThatAStewardApproves()
    {
        var node = await Accounts.EnrollNodeAsync(approve: false);
        var steward = (await Accounts.AsAsync(DragonRoles.DataSteward)).Client;

        var pending = await (await steward.GetAsync($"/api/v1/nodes/{node.Credentials.NodeId}")).ReadAsAsync<NodeResponse>(HttpStatusCode.OK);
        var approved = await (await steward.PostAsync($"/api/v1/nodes/{node.Credentials.NodeId}/approve", null)).ReadAsAsync<NodeResponse>(HttpStatusCode.OK);
        var again = await (await steward.PostAsync($"/api/v1/nodes/{node.Credentials.NodeId}/approve", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("Pending", pending.Status);
        Assert.Equal("Active", approved.Status);
        Assert.Equal("node.illegal_transition", again.GetProperty("code").GetString());
    }

    [Fact]
    public async Task SuspendedNode_ExistingTokenStopsWorkingAtOnce()
    {
        var node = await Accounts.EnrollNodeAsync();
        (await node.Client.PostAsJsonAsync("/api/v1/nodes/me/heartbeat", new HeartbeatRequest("1.0"), DragonJson.Options)).EnsureSuccessStatusCode();

        (await (await Accounts.AdminAsync()).PostAsync($"/api/v1/nodes/{node.Credentials.NodeId}/suspend", null)).EnsureSuccessStatusCode();

        var refused = await node.Client.PostAsJsonAsync("/api/v1/nodes/me/heartbeat", new HeartbeatRequest("1.0"), DragonJson.Options);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await Accounts.ClientCredentialsAsync(node.Credentials)).StatusCode);
    }

    [Fact]
    public async Task NodeControl_IsScopedToItsStewards_AndAnAdminReinstatesItWithNewCredentials()
    {
        var (node, admin, own, another) = await NodeWithItsStewardAsync();
        var path = $"/api/v1/nodes/{node.Credentials.NodeId}";

        var foreign = await (await another.Client.PostAsync($"{path}/suspend", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("node.not_stewarded", foreign.GetProperty("code").GetString());
        Assert.Equal("Active", (await (await admin.GetAsync(path)).ReadAsAsync<NodeResponse>(HttpStatusCode.OK)).Status);

        Assert.Equal("Suspended", (await (await own.Client.PostAsync($"{path}/suspend", null)).ReadAsAsync<NodeResponse>(HttpStatusCode.OK)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await own.Client.PostAsync($"{path}/reinstate", null)).StatusCode);
        var reinstated = await (await admin.PostAsync($"{path}/reinstate", null)).ReadAsAsync<EnrollResponse>(HttpStatusCode.OK);
        var again = await (await admin.PostAsync($"{path}/reinstate", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal((node.Credentials.NodeId, node.Credentials.ClientId), (reinstated.NodeId, reinstated.ClientId));
        Assert.NotEqual(node.Credentials.ClientSecret, reinstated.ClientSecret);
        Assert.Equal("node.illegal_transition", again.GetProperty("code").GetString());
        Assert.Equal("Active", (await (await admin.GetAsync(path)).ReadAsAsync<NodeResponse>(HttpStatusCode.OK)).Status);
        Assert.NotEqual(HttpStatusCode.OK, (await Accounts.ClientCredentialsAsync(node.Credentials)).StatusCode);
        var token = await TestAccounts.AccessTokenAsync(await Accounts.ClientCredentialsAsync(node.Credentials with { ClientSecret = reinstated.ClientSecret }));
        using var renewed = fixture.Factory.CreateClient();
        renewed.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        (await renewed.PostAsJsonAsync("/api/v1/nodes/me/heartbeat", new HeartbeatRequest("1.0"), DragonJson.Options)).EnsureSuccessStatusCode();

        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var events = await scope.ServiceProvider.GetRequiredService<Dragon.Platform.Persistence.DragonDbContext>().AuditEvents
            .Where(e => e.ObjectId == node.Credentials.NodeId.ToString()).ToListAsync();
        Assert.Contains(events, e => e.Action == Dragon.Platform.Audit.AuditAction.Node_Suspended && e.ActorId == own.User.Id.ToString());
        Assert.Contains(events, e => e.Action == Dragon.Platform.Audit.AuditAction.Node_Reinstated);
        Assert.DoesNotContain(events, e => e.Payload.Contains(reinstated.ClientSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ContactEmail_IsShownToAdmins_TheNodeItself_AndItsStewards_NotToOtherStewards()
    {
        var (node, admin, own, another) = await NodeWithItsStewardAsync();
        var path = $"/api/v1/nodes/{node.Credentials.NodeId}";
        async Task<string?> ContactAsync(HttpClient client) => (await (await client.GetAsync(path)).ReadAsAsync<NodeResponse>(HttpStatusCode.OK)).ContactEmail;
        async Task<string?> ListedAsync(HttpClient client)
        {
            for (var page = 1; ; page++)
            {
                var list = await (await client.GetAsync($"/api/v1/nodes?status=Active&page={page}&pageSize=100")).ReadAsAsync<Paged<NodeResponse>>(HttpStatusCode.OK);
                if (list.Items.SingleOrDefault(n => n.Id == node.Credentials.NodeId) is { } found)
                {
                    return found.ContactEmail;
                }
                Assert.True(page * 100 < list.Total, "The node is not among the active nodes.");
            }
        }

        var expected = await ContactAsync(admin);

        Assert.Contains("@", expected ?? "", StringComparison.Ordinal);
        Assert.Equal(expected, await ContactAsync(node.Client));
        Assert.Equal(expected, await ContactAsync(own.Client));
        Assert.Null(await ContactAsync(another.Client));
        Assert.Null(await ListedAsync(another.Client));
        Assert.Equal(expected, await ListedAsync(own.Client));
    }

    /// <summary>An active node with a cohort of its own, an Admin, the cohort's steward and a steward of other cohorts.</summary>
    private async Task<(TestAccounts.EnrolledNode Node, HttpClient Admin, TestAccounts.SignedIn Own, TestAccounts.SignedIn Another)> NodeWithItsStewardAsync()
    {
        var node = await Accounts.EnrollNodeAsync();
        var cohort = await (await node.Client.PostAsJsonAsync("/api/v1/cohorts", Catalogue.CohortSamples.Valid(Catalogue.CohortSamples.UniqueTag()), DragonJson.Options))
            .ReadAsAsync<Dragon.Contracts.Catalogue.CohortResponse>(HttpStatusCode.Created);
        var admin = await Accounts.AdminAsync();
        var own = await Accounts.NewUserAsync(DragonRoles.DataSteward);
        var another = await Accounts.NewUserAsync(DragonRoles.DataSteward);
        (await admin.PostAsJsonAsync($"/api/v1/cohorts/{cohort.Id}/stewards", new Dragon.Contracts.Catalogue.AddStewardRequest(own.User.Id), DragonJson.Options)).EnsureSuccessStatusCode();
        return (node, admin, own, another);
    }

    [Fact]
    public async Task Node_ReadsItself_ButAnotherNodeIsNotFound()
    {
        var node = await Accounts.EnrollNodeAsync();
        var other = await Accounts.EnrollNodeAsync();

        var self = await (await node.Client.GetAsync($"/api/v1/nodes/{node.Credentials.NodeId}")).ReadAsAsync<NodeResponse>(HttpStatusCode.OK);
        await (await node.Client.GetAsync($"/api/v1/nodes/{other.Credentials.NodeId}")).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(node.Credentials.NodeId, self.Id);
    }

    [Fact]
    public async Task Node_PublishesItsOwnCohort_ButCannotChangeAnotherNodes()
    {
        var node = await Accounts.EnrollNodeAsync();
        var other = await Accounts.EnrollNodeAsync();
        var created = await (await node.Client.PostAsJsonAsync("/api/v1/cohorts", Catalogue.CohortSamples.Valid("node-owned"), DragonJson.Options))
            .ReadAsAsync<Dragon.Contracts.Catalogue.CohortResponse>(HttpStatusCode.Created);

        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/cohorts/{created.Id}") { Content = JsonContent.Create(Catalogue.CohortSamples.Valid("hijack"), options: DragonJson.Options) };
        put.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
        await (await other.Client.SendAsync(put)).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(node.Credentials.NodeId, created.NodeId);
    }

    [Fact]
    public async Task Register_WithAShortPassword_AnswersAPasswordError()
    {
        var problem = await (await fixture.Factory.CreateClient().PostAsJsonAsync("/api/v1/account/register",
                new RegisterRequest($"p-{Guid.NewGuid():N}@dragon.test", "short", "Pat"), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("password"));
    }

    [Fact]
    public async Task CreateUser_WithAnUnknownRole_IsRefused()
    {
        var admin = await Accounts.AdminAsync();

        var problem = await (await admin.PostAsJsonAsync("/api/v1/users",
                new CreateUserRequest($"x-{Guid.NewGuid():N}@dragon.test", TestAccounts.Password, "X", ["PartnerNode"]), DragonJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("roles"));
    }

    private async Task<EnrollmentTokenResponse> IssueTokenAsync()
    {
        var admin = await Accounts.AdminAsync();
        return await (await admin.PostAsJsonAsync("/api/v1/nodes/enrollment-tokens", new EnrollmentTokenRequest("Radboud UMC", 2), DragonJson.Options))
            .ReadAsAsync<EnrollmentTokenResponse>(HttpStatusCode.Created);
    }

    private static EnrollRequest Enroll(string token, string? identityKey = null) =>
        new(token, $"node {Guid.NewGuid():N}", "Radboud UMC", "NL", "it@radboud.test", identityKey ?? IdentityKey(System.Security.Cryptography.ECCurve.NamedCurves.nistP256));

    private static string IdentityKey(System.Security.Cryptography.ECCurve curve)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(curve);
        return Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
    }

    private async Task<int> CountNodesAsync()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DragonDbContext>().Nodes.CountAsync();
    }
}

public sealed class SqliteEnrollmentTests(SqliteApiFixture fixture) : EnrollmentTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresEnrollmentTests(PostgresApiFixture fixture) : EnrollmentTests(fixture), IClassFixture<PostgresApiFixture>;
