using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Host;

/// <summary>The routes that take large bodies from nodes hold each node to a few requests at a time.</summary>
public sealed class NodeUploadLimitTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [Theory]
    [InlineData("UploadContribution")]
    [InlineData("UploadDecryptionShare")]
    [InlineData("UploadKeyShare")]
    [InlineData("RegisterConsentBatch")]
    public void UploadRoute_CarriesTheNodeUploadLimit(string routeName)
    {
        var endpoints = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;

        var route = Assert.Single(endpoints, e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == routeName);

        Assert.Equal(IdentitySetup.NodeUploadLimit, route.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName);
    }

    [Fact]
    public void CallerPartition_IsTheSignedInCaller_OrElseTheAddress()
    {
        var node = new Microsoft.AspNetCore.Http.DefaultHttpContext
        {
            User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", "node-7")], "Bearer")),
        };
        node.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        var anonymous = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        anonymous.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;

        Assert.Equal("caller:node-7", IdentitySetup.CallerPartition(node));
        Assert.Equal("address:127.0.0.1", IdentitySetup.CallerPartition(anonymous));
    }

    [Fact]
    public async Task NodeHoldingItsUploadPermit_IsRefusedASecond_AndDoesNotHoldBackAnotherNode()
    {
        // Kestrel, not the in-memory test server, and plain clients (the factory's buffer request bodies): only then does
        // the server start on a request whose body is still arriving, and hold its permit meanwhile.
        using var factory = DragonApiFactory.Create(DatabaseProvider.Sqlite, settings: new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["RateLimits:NodeUploadsAtOnce"] = "1",
            ["RateLimits:NodeUploadsQueued"] = "0",
        });
        factory.UseKestrel();
        factory.StartServer();
        try
        {
            var busy = PlainClient(await factory.Accounts.EnrollNodeAsync());
            var other = PlainClient(await factory.Accounts.EnrollNodeAsync());
            var route = $"/api/v1/jobs/{Guid.NewGuid()}/contributions";
            HttpResponseMessage second, fromOther, first;
            var attempts = 0;
            do
            {
                // The held request sends its first byte and keeps the rest back (for well under Kestrel's 5 s grace for
                // slow bodies); half a second lets the server start on it and take the one permit. Should the server see
                // the probe first, the held request is the one refused: then try again.
                var body = new SlowBody();
                var held = busy.PostAsync(route, body);
                await body.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
                await Task.Delay(500);
                second = await busy.PostAsync(route, Json());
                fromOther = await other.PostAsync(route, Json());
                body.Finish.SetResult();
                first = await held;
            }
            while (first.StatusCode == System.Net.HttpStatusCode.TooManyRequests && ++attempts < 5);

            Assert.Equal((System.Net.HttpStatusCode.TooManyRequests, System.Net.HttpStatusCode.NotFound, System.Net.HttpStatusCode.NotFound),
                (second.StatusCode, fromOther.StatusCode, first.StatusCode));
        }
        finally
        {
            factory.Dispose();
            factory.DropDatabase();
        }
    }

    private static HttpClient PlainClient(TestAccounts.EnrolledNode node)
    {
        var client = new HttpClient { BaseAddress = node.Client.BaseAddress };
        client.DefaultRequestHeaders.Authorization = node.Client.DefaultRequestHeaders.Authorization;
        return client;
    }

    private static StringContent Json() => new("{}", System.Text.Encoding.UTF8, "application/json");

    /// <summary>A JSON body that sends its first byte, then waits until the test lets it finish.</summary>
    private sealed class SlowBody : HttpContent
    {
        public SlowBody() => Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync("{"u8.ToArray());
            await stream.FlushAsync();
            Started.SetResult();
            await Finish.Task;
            await stream.WriteAsync("}"u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
