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
}
