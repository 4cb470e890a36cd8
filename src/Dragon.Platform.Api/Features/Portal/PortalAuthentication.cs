using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>
/// The portal signs people in at the platform's own OpenID Connect server, as any other client would
/// (authorization code with PKCE, client <c>dragon-portal</c>), and keeps the session in its own cookie,
/// scoped to <c>/portal</c>. API routes never read that cookie: they accept bearer tokens only.
/// </summary>
public static class PortalAuthentication
{
    public const string CookieScheme = "Portal";
    public const string OidcScheme = "PortalOidc";
    public const string CallbackPath = "/portal/signin-oidc";

    public static WebApplicationBuilder AddPortalAuthentication(this WebApplicationBuilder builder)
    {
        var authority = Authority(builder.Configuration);
        if (builder.IsHardened() && authority.Scheme != Uri.UriSchemeHttps)
        {
            // Otherwise every request would fail once the OpenID Connect handler first reads its options.
            throw new InvalidOperationException(
                $"config.portal.authority_not_https: the portal signs in at {authority}; outside Development set Identity:PortalRedirectUris (or Portal:Authority) to the host's https address.");
        }
        builder.Services.AddAuthentication()
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "dragon.portal";
                options.Cookie.Path = PortalSetup.Path;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = SecurePolicy(builder);
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.ForwardChallenge = OidcScheme;
                options.Events.OnValidatePrincipal = PortalSessionCheck.ValidateAsync;
                // A signed-in user without the role gets a page saying so, not a redirect loop through sign-in.
                options.Events.OnRedirectToAccessDenied = context => PortalErrorPage.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden);
            })
            .AddOpenIdConnect(OidcScheme, options =>
            {
                options.Authority = authority.ToString();
                options.RequireHttpsMetadata = builder.IsHardened();
                options.ClientId = FirstPartyClients.Portal;
                options.ResponseType = OpenIdConnectResponseType.Code;
                // The code comes back in the query string: form_post would need a script on the server's page.
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.UsePkce = true;
                options.CallbackPath = CallbackPath;
                options.SignInScheme = CookieScheme;
                options.Scope.Clear();
                foreach (var scope in new[] { Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles })
                {
                    options.Scope.Add(scope);
                }
                options.MapInboundClaims = false;
                options.TokenValidationParameters.NameClaimType = Claims.Name;
                options.TokenValidationParameters.RoleClaimType = Claims.Role;
                options.GetClaimsFromUserInfoEndpoint = false;
                options.SaveTokens = false;
                options.DisableTelemetry = true;
                // Same-site navigation only: Lax cookies survive the redirect back from the authorization endpoint over plain HTTP too.
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.CorrelationCookie.SecurePolicy = SecurePolicy(builder);
                options.NonceCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = SecurePolicy(builder);
                options.AccessDeniedPath = "/portal/signin-refused";
                options.Events.OnTokenValidated = PortalSessionCheck.RememberStampAsync;
                options.Events.OnRemoteFailure = context =>
                {
                    context.HandleResponse();
                    return PortalErrorPage.WriteAsync(context.HttpContext, StatusCodes.Status400BadRequest,
                        "Signing in did not complete (the sign-in took too long, or was started in another tab). Go back to the portal and sign in again.");
                };
            });
        return builder;
    }

    /// <summary>
    /// A hardened host's cookies are always Secure, even when TLS ends at a proxy that does not forward the scheme;
    /// development and test hosts serve plain HTTP on loopback.
    /// </summary>
    private static CookieSecurePolicy SecurePolicy(WebApplicationBuilder builder) =>
        builder.IsHardened() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    /// <summary>
    /// The OpenID Connect server the portal signs in at: <c>Portal:Authority</c>, or else the origin of the first
    /// <c>Identity:PortalRedirectUris</c> entry, which is this host's own public address.
    /// </summary>
    public static Uri Authority(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration["Portal:Authority"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new Uri(configured.TrimEnd('/') + "/", UriKind.Absolute);
        }
        var redirect = new Uri(IdentitySetup.PortalRedirectUris(configuration)[0], UriKind.Absolute);
        return new Uri(redirect.GetLeftPart(UriPartial.Authority) + "/", UriKind.Absolute);
    }
}
