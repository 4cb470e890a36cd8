using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Identity;

/// <summary>The sign-in page of the OpenID Connect server: the authorization endpoint sends people here.</summary>
public static class LoginPages
{
    public static IEndpointRouteBuilder MapLoginPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/login", ShowAsync).ExcludeFromDescription().AllowAnyone();
        app.MapPost("/account/login", SignInAsync).ExcludeFromDescription().AllowAnyone().RequireRateLimiting(IdentitySetup.AuthRateLimit);
        app.MapPost("/account/logout", SignOutAsync).ExcludeFromDescription().AllowAnyone();
        return app;
    }

    private static IResult ShowAsync(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        Page(context, antiforgery, SafeReturnUrl(returnUrl), error: null);

    private static async Task<IResult> SignInAsync(
        HttpContext context,
        IAntiforgery antiforgery,
        SignInManager<DragonUser> signIn,
        UserManager<DragonUser> users,
        UserAccounts accounts,
        [FromForm] string? email,
        [FromForm] string? password,
        [FromForm] string? returnUrl)
    {
        var target = SafeReturnUrl(returnUrl);
        var user = await users.FindByEmailAsync(email ?? "");
        if (user is null)
        {
            UnknownAccount.SpendPasswordCheck(users.PasswordHasher, password);
            await accounts.RecordSignInAsync(null, succeeded: false, "login-page", context.RequestAborted);
            return Page(context, antiforgery, target, "The e-mail address or password is wrong.");
        }
        var result = await signIn.PasswordSignInAsync(user, password ?? "", isPersistent: false, lockoutOnFailure: true);
        await accounts.RecordSignInAsync(user, result.Succeeded, "login-page", context.RequestAborted);
        if (result.IsLockedOut)
        {
            return Page(context, antiforgery, target, "Too many failed attempts: the account is locked for 15 minutes.");
        }
        if (result.IsNotAllowed)
        {
            // Only someone who knows the password reads this.
            return Page(context, antiforgery, target, "Confirm your e-mail address first: open the link we sent to it when you registered.");
        }
        if (!result.Succeeded)
        {
            return Page(context, antiforgery, target, "The e-mail address or password is wrong.");
        }
        return Results.LocalRedirect(target);
    }

    private static async Task<IResult> SignOutAsync(SignInManager<DragonUser> signIn)
    {
        await signIn.SignOutAsync();
        return Results.LocalRedirect("/account/login");
    }

    /// <summary>Only local paths: an open redirect would let a phishing link borrow our sign-in page.</summary>
    private static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string returnUrl, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var message = error is null ? "" : $"""<p role="alert" class="error">{WebUtility.HtmlEncode(error)}</p>""";
        return HtmlPage.Render("Sign in", $"""
            <h1>Sign in to Dragon</h1>
            {message}
            <form method="post" action="/account/login">
              <input type="hidden" name="{tokens.FormFieldName}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
              <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
              <label for="email">E-mail address</label>
              <input id="email" name="email" type="email" autocomplete="username" required>
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required>
              <button type="submit">Sign in</button>
            </form>
            """, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }
}
