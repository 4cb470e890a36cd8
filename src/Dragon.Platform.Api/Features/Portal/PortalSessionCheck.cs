using System.Globalization;
using System.Security.Claims;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>
/// The portal cookie carries the roles of the moment the person signed in. Every <c>Identity:SessionCheckInterval</c>
/// (default one minute) the account is read again: a deleted or locked-out account, one whose roles changed, or one
/// whose security stamp changed (a new password, a reset) ends the session, so a demoted steward cannot keep deciding
/// for the rest of an eight-hour cookie.
/// </summary>
public static class PortalSessionCheck
{
    private const string CheckedAt = "dragon.checked-at";
    private const string SecurityStamp = "dragon.security-stamp";

    /// <summary>At sign-in, remembers the account's security stamp in the session (the cookie is encrypted).</summary>
    public static async Task RememberStampAsync(TokenValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<DragonUser>>();
        var user = context.Principal?.FindFirstValue(Claims.Subject) is { } id ? await users.FindByIdAsync(id) : null;
        if (user is null)
        {
            context.Fail("The account that signed in no longer exists.");
            return;
        }
        context.Properties!.Items[SecurityStamp] = await users.GetSecurityStampAsync(user);
    }

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var interval = IdentitySetup.SessionCheckInterval(services.GetRequiredService<IConfiguration>());
        if (context.Properties.Items.TryGetValue(CheckedAt, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var checkedAt)
            && now - checkedAt < interval)
        {
            return;
        }
        context.Properties.Items.TryGetValue(SecurityStamp, out var stamp);
        if (!await IsCurrentAsync(context.Principal, stamp, services.GetRequiredService<UserManager<DragonUser>>()))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(PortalAuthentication.CookieScheme);
            return;
        }
        context.Properties.Items[CheckedAt] = now.ToString("O", CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }

    private static async Task<bool> IsCurrentAsync(ClaimsPrincipal? principal, string? stamp, UserManager<DragonUser> users)
    {
        var user = principal?.FindFirstValue(Claims.Subject) is { } id ? await users.FindByIdAsync(id) : null;
        if (user is null || await users.IsLockedOutAsync(user) || stamp != await users.GetSecurityStampAsync(user))
        {
            return false;
        }
        var roles = await users.GetRolesAsync(user);
        return roles.Order(StringComparer.Ordinal).SequenceEqual(principal!.FindAll(Claims.Role).Select(c => c.Value).Order(StringComparer.Ordinal));
    }
}
