using System.Net;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Portal;

public sealed class PortalRateLimitTests
{
    [Fact]
    public async Task Register_SharesTheSignUpRateLimit()
    {
        var factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, settings: new Dictionary<string, string> { ["RateLimits:AuthPermitsPerMinute"] = "2" });
        try
        {
            var client = factory.CreateClient();

            var answers = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
            {
                answers.Add((await client.GetAsync("/portal/register")).StatusCode);
            }

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers);
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }
}
