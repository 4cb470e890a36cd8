using System.Net;
using System.Net.Http.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Identity;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Identity;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Register_BeyondTheLimit_Answers429Problem()
    {
        using var factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, settings: new Dictionary<string, string> { ["RateLimits:AuthPermitsPerMinute"] = "3" });
        try
        {
            var client = factory.CreateClient();
            for (var i = 0; i < 3; i++)
            {
                Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.PostAsJsonAsync("/api/v1/account/register", new RegisterRequest("bad", "x", "y"), DragonJson.Options)).StatusCode);
            }

            var limited = await client.PostAsJsonAsync("/api/v1/account/register", new RegisterRequest("bad", "x", "y"), DragonJson.Options);

            await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal("60", limited.Headers.RetryAfter?.ToString());
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }

    [Fact]
    public async Task AuditVerify_BeyondItsLimit_Answers429_PerAuditor()
    {
        using var factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, settings: new Dictionary<string, string> { ["RateLimits:AuditVerifyPerMinute"] = "2" });
        try
        {
            var auditor = await factory.Accounts.NewUserAsync(Dragon.Platform.Identity.DragonRoles.Auditor);
            var other = await factory.Accounts.NewUserAsync(Dragon.Platform.Identity.DragonRoles.Auditor);
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await auditor.Client.GetAsync("/api/v1/audit/verify")).StatusCode);
            }

            await (await auditor.Client.GetAsync("/api/v1/audit/verify?full=true")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal(HttpStatusCode.OK, (await other.Client.GetAsync("/api/v1/audit/verify")).StatusCode);
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }
}
