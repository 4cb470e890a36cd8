using System.Security.Claims;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Identity;
using Dragon.Platform.Nodes;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dragon.Platform.Api.Features.Identity;

/// <summary>
/// <c>POST /connect/token</c>. OpenIddict has already authenticated the client and checked the grant; this
/// decides who the token is for: an active node (client credentials) or a user who may still sign in.
/// </summary>
public static class TokenEndpoint
{
    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", ExchangeAsync).ExcludeFromDescription().AllowAnyone().RequireRateLimiting(IdentitySetup.AuthRateLimit).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ExchangeAsync(
        HttpContext context, UserManager<DragonUser> users, SignInManager<DragonUser> signIn, NodeRegistry nodes, UserAccounts accounts)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("auth.no_request: the OpenID Connect request cannot be retrieved.");

        if (request.IsClientCredentialsGrantType())
        {
            if (!NodeClients.TryGetNodeId(request.ClientId, out var nodeId) || !await nodes.IsActiveAsync(nodeId, context.RequestAborted))
            {
                return Refuse(Errors.InvalidClient, "This client is not an active partner node; a steward must approve it first.");
            }
            var identity = NewIdentity();
            identity.SetClaim(Claims.Subject, nodeId.ToString())
                .SetClaim(Claims.Name, request.ClientId)
                .SetClaims(Claims.Role, [DragonRoles.PartnerNode]);
            return SignIn(identity, request.GetScopes());
        }

        if (request.IsPasswordGrantType())
        {
            var user = await users.FindByEmailAsync(request.Username ?? "");
            if (user is null)
            {
                UnknownAccount.SpendPasswordCheck(users.PasswordHasher, request.Password);
            }
            var succeeded = user is not null && (await signIn.CheckPasswordSignInAsync(user, request.Password ?? "", lockoutOnFailure: true)).Succeeded;
            await accounts.RecordSignInAsync(user, succeeded, "password-grant", context.RequestAborted);
            if (!succeeded)
            {
                return Refuse(Errors.InvalidGrant, "The e-mail address or password is wrong, or the account is locked.");
            }
            return SignIn(await UserIdentityAsync(users, user!), request.GetScopes());
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var user = await users.FindByIdAsync(result.Principal?.GetClaim(Claims.Subject) ?? "");
            if (user is null || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
            {
                return Refuse(Errors.InvalidGrant, "The account can no longer sign in.");
            }
            return SignIn(await UserIdentityAsync(users, user), result.Principal!.GetScopes());
        }

        return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    /// <summary>The claims of a user's tokens, read afresh from the store so role changes apply at the next refresh.</summary>
    internal static async Task<ClaimsIdentity> UserIdentityAsync(UserManager<DragonUser> users, DragonUser user)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)]);
        return identity;
    }

    internal static IResult SignIn(ClaimsIdentity identity, IEnumerable<string> scopes)
    {
        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Name or Claims.Email or Claims.Role when identity.HasScope(Scopes.Profile) || identity.HasScope(Scopes.Email) || identity.HasScope(Scopes.Roles)
                => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    internal static IResult Refuse(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
}
