using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Identity;
using Dragon.Contracts.Nodes;

namespace Dragon.Platform.Tests.Infrastructure;

/// <summary>Accounts and nodes made through the real API, and their access tokens from the real token endpoint.</summary>
public sealed class TestAccounts(DragonApiFactory factory)
{
    public const string AdminEmail = "admin@dragon.test";
    public const string AdminPassword = "bootstrap admin passphrase";
    public const string PortalRedirectUri = "http://localhost/portal/signin-oidc";
    public const string Password = "correct horse battery staple";

    private readonly ConcurrentDictionary<string, Lazy<Task<SignedIn>>> _byRole = new();

    public sealed record SignedIn(UserResponse User, HttpClient Client);

    /// <summary>An enrolled node as the tests play it: its credentials, a signed-in client, and its identity key to sign with.</summary>
    public sealed record EnrolledNode(EnrollResponse Credentials, HttpClient Client, ECDsa Identity)
    {
        public byte[] Sign(byte[] statement) => Identity.SignData(statement, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        /// <summary>Base64 of this node's signature over its share of <paramref name="keySet"/> at its party index (members by node id).</summary>
        public string SignKeyShare(Dragon.Contracts.Jobs.KeySetResponse keySet, string share)
        {
            ArgumentNullException.ThrowIfNull(keySet);
            var index = keySet.Nodes.Select(n => n.NodeId).Order().ToList().IndexOf(Credentials.NodeId);
            return Convert.ToBase64String(Sign(Dragon.Contracts.Jobs.SignedStatements.KeyShare(
                keySet.Id, Convert.FromBase64String(keySet.CommonSeed), index, Credentials.NodeId, SHA256.HashData(Convert.FromBase64String(share)))));
        }
    }

    /// <summary>One account per role for this host, made once.</summary>
    public Task<SignedIn> AsAsync(string role) =>
        _byRole.GetOrAdd(role, r => new Lazy<Task<SignedIn>>(() => NewUserAsync(r))).Value;

    public async Task<SignedIn> NewUserAsync(string role, params string[] moreRoles)
    {
        var admin = await AdminAsync();
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@dragon.test";
        var user = await (await admin.PostAsJsonAsync("/api/v1/users", new CreateUserRequest(email, Password, $"Test {role}", [role, .. moreRoles]), DragonJson.Options))
            .ReadAsAsync<UserResponse>(HttpStatusCode.Created);
        return new SignedIn(user, Authorized(await PasswordTokenAsync(email, Password)));
    }

    public async Task<HttpClient> AdminAsync() => Authorized(await PasswordTokenAsync(AdminEmail, AdminPassword));

    public async Task<string> PasswordTokenAsync(string email, string password) =>
        await AccessTokenAsync(await TokenAsync(PasswordGrant(email, password, "roles offline_access")));

    /// <summary>The token endpoint's form for the password grant of <c>dragon-cli</c>.</summary>
    public static Dictionary<string, string> PasswordGrant(string email, string password, string scope = "roles") => new()
    {
        ["grant_type"] = "password",
        ["client_id"] = "dragon-cli",
        ["username"] = email,
        ["password"] = password,
        ["scope"] = scope,
    };

    public Task<HttpResponseMessage> TokenAsync(IDictionary<string, string> form) =>
        factory.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(form));

    public static async Task<string> AccessTokenAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"The token endpoint answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Issues a token as Admin, enrolls a node with it, and (by default) approves it as Admin.</summary>
    public async Task<EnrolledNode> EnrollNodeAsync(bool approve = true)
    {
        var admin = await AdminAsync();
        var token = await (await admin.PostAsJsonAsync("/api/v1/nodes/enrollment-tokens", new EnrollmentTokenRequest("Radboud UMC", 1), DragonJson.Options))
            .ReadAsAsync<EnrollmentTokenResponse>(HttpStatusCode.Created);
        var identity = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var credentials = await (await factory.CreateClient().PostAsJsonAsync("/api/v1/nodes/enroll",
                new EnrollRequest(token.Token, $"node {Guid.NewGuid():N}", "Radboud UMC", "NL", "it@radboud.test", Convert.ToBase64String(identity.ExportSubjectPublicKeyInfo())),
                DragonJson.Options))
            .ReadAsAsync<EnrollResponse>(HttpStatusCode.Created);
        if (!approve)
        {
            return new EnrolledNode(credentials, factory.CreateClient(), identity);
        }
        (await admin.PostAsync($"/api/v1/nodes/{credentials.NodeId}/approve", null)).EnsureSuccessStatusCode();
        return new EnrolledNode(credentials, Authorized(await AccessTokenAsync(await ClientCredentialsAsync(credentials))), identity);
    }

    public Task<HttpResponseMessage> ClientCredentialsAsync(EnrollResponse credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = credentials.ClientId,
            ["client_secret"] = credentials.ClientSecret,
        });
    }

    public HttpClient Authorized(string accessToken)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }
}
