using Dragon.Platform.Api.Infrastructure;
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
    public void UploadPartition_IsTheSignedInNode_OrElseTheAddress()
    {
        var node = new Microsoft.AspNetCore.Http.DefaultHttpContext
        {
            User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", "node-7")], "Bearer")),
        };
        node.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        var anonymous = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        anonymous.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;

        Assert.Equal("node:node-7", IdentitySetup.UploadPartition(node));
        Assert.Equal("address:127.0.0.1", IdentitySetup.UploadPartition(anonymous));
    }
}
