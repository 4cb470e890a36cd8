using Dragon.Platform.Api.Features.Portal;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Dragon.Platform.Tests.Infrastructure;

/// <summary>
/// The portal fetches the server's discovery document and redeems codes over HTTP, at its own address. An
/// in-memory test server has no address, so those calls are routed into it; a host on Kestrel is left alone.
/// </summary>
public static class PortalBackchannel
{
    public static void RouteIntoTestServer(IServiceCollection services) =>
        services.AddOptions<OpenIdConnectOptions>(PortalAuthentication.OidcScheme).PostConfigure<IServer>((options, server) =>
        {
            if (server is not TestServer testServer)
            {
                return;
            }
            options.Backchannel = new HttpClient(testServer.CreateHandler()) { BaseAddress = testServer.BaseAddress };
            options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                options.MetadataAddress ?? new Uri(new Uri(options.Authority!), ".well-known/openid-configuration").ToString(),
                new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever(options.Backchannel) { RequireHttps = false });
        });
}
