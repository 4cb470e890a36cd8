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

            var answers = new List<HttpResponseMessage>();
            for (var i = 0; i < 3; i++)
            {
                answers.Add(await client.GetAsync("/portal/register"));
            }

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers.Select(a => a.StatusCode));
            Assert.Equal("text/html", answers[2].Content.Headers.ContentType?.MediaType);
            Assert.Contains("Too many attempts", await answers[2].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }
}
