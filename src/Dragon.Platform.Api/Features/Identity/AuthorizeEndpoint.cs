using System.Net;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dragon.Platform.Api.Features.Identity;

/// <summary>
/// <c>/connect/authorize</c>: the authorization code flow (PKCE required by the server). People sign in on
/// the login page, then grant the client access on a consent page; the grant is remembered as a permanent
/// authorization.
/// </summary>
public static class AuthorizeEndpoint
{
    private const string Accept = "accept";

    public static IEndpointRouteBuilder MapAuthorizeEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync)
            .ExcludeFromDescription().AllowAnyone().DisableAntiforgery();
        app.MapMethods("/connect/logout", [HttpMethods.Get, HttpMethods.Post], LogoutAsync)
            .ExcludeFromDescription().AllowAnyone().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> AuthorizeAsync(
        HttpContext context,
        IAntiforgery antiforgery,
        UserManager<DragonUser> users,
        IOpenIddictApplicationManager applications,
        IOpenIddictAuthorizationManager authorizations)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("auth.no_request: the OpenID Connect request cannot be retrieved.");
        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!session.Succeeded || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return TokenEndpoint.Refuse(Errors.LoginRequired, "The user is not signed in.");
            }
            return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryString.Create(Parameters(context)) },
                [IdentityConstants.ApplicationScheme]);
        }

        var user = await users.GetUserAsync(session.Principal!);
        var application = await applications.FindByClientIdAsync(request.ClientId ?? "");
        if (user is null || application is null)
        {
            return TokenEndpoint.Refuse(Errors.AccessDenied, "The account or the client no longer exists.");
        }
        if (await users.IsLockedOutAsync(user))
        {
            return TokenEndpoint.Refuse(Errors.AccessDenied, "The account is locked.");
        }
        var userId = user.Id.ToString();
        var applicationId = await applications.GetIdAsync(application) ?? "";
        var granted = new List<object>();
        await foreach (var authorization in authorizations.FindAsync(userId, applicationId, Statuses.Valid, AuthorizationTypes.Permanent, request.GetScopes()))
        {
            granted.Add(authorization);
        }

        var decided = HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType && context.Request.Form.ContainsKey("decision");
        if (decided)
        {
            await antiforgery.ValidateRequestAsync(context);
            if (context.Request.Form["decision"] != Accept)
            {
                return TokenEndpoint.Refuse(Errors.AccessDenied, "The user denied the request.");
            }
        }
        else if (granted.Count == 0 || request.HasPromptValue(PromptValues.Consent))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return TokenEndpoint.Refuse(Errors.ConsentRequired, "Interactive consent is required.");
            }
            return ConsentPage(context, antiforgery, await applications.GetDisplayNameAsync(application) ?? request.ClientId!, request.GetScopes());
        }

        var identity = await TokenEndpoint.UserIdentityAsync(users, user);
        identity.SetScopes(request.GetScopes());
        var remembered = granted.LastOrDefault() ?? await authorizations.CreateAsync(
            identity: identity, subject: userId, client: applicationId, type: AuthorizationTypes.Permanent, scopes: identity.GetScopes());
        identity.SetAuthorizationId(await authorizations.GetIdAsync(remembered));
        return TokenEndpoint.SignIn(identity, request.GetScopes());
    }

    private static async Task<IResult> LogoutAsync(SignInManager<DragonUser> signIn)
    {
        await signIn.SignOutAsync();
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    /// <summary>The OpenID Connect parameters of the request, without our own form fields and without prompt=login (no loop).</summary>
    private static List<KeyValuePair<string, string?>> Parameters(HttpContext context)
    {
        var source = context.Request.HasFormContentType
            ? context.Request.Form.Select(pair => KeyValuePair.Create(pair.Key, pair.Value))
            : context.Request.Query.Select(pair => KeyValuePair.Create(pair.Key, pair.Value));
        return [.. source
            .Where(pair => pair.Key is not (OpenIddictConstants.Parameters.Prompt or "decision" or "__RequestVerificationToken"))
            .SelectMany(pair => pair.Value.Select(value => KeyValuePair.Create(pair.Key, value)))];
    }

    private static IResult ConsentPage(HttpContext context, IAntiforgery antiforgery, string clientName, IEnumerable<string> scopes)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var hidden = string.Concat(Parameters(context).Select(pair =>
            $"""<input type="hidden" name="{WebUtility.HtmlEncode(pair.Key)}" value="{WebUtility.HtmlEncode(pair.Value)}">"""));
        var scopeList = string.Concat(scopes.Select(scope => $"<li>{WebUtility.HtmlEncode(scope)}</li>"));
        return HtmlPage.Render("Allow access", $"""
            <h1>Allow {WebUtility.HtmlEncode(clientName)}?</h1>
            <p>{WebUtility.HtmlEncode(clientName)} asks to act for you on the Dragon platform with these permissions:</p>
            <ul>{scopeList}</ul>
            <form method="post" action="/connect/authorize">
              <input type="hidden" name="{tokens.FormFieldName}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
              {hidden}
              <button type="submit" name="decision" value="{Accept}">Allow</button>
              <button type="submit" name="decision" value="deny">Deny</button>
            </form>
            """);
    }
}
