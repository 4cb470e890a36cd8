using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>
/// The portal's authorization policies: signed in through the portal cookie, and for each page the same named
/// permission (from <c>policies/permissions.json</c>) that the matching API route requires.
/// </summary>
public static class PortalPolicies
{
    public const string SignedIn = "portal";
    public const string ConsentsSelf = Prefix + Permissions.ConsentsSelf;
    public const string CohortsRead = Prefix + Permissions.CohortsRead;
    public const string AccessRead = Prefix + Permissions.AccessRead;
    public const string AccessDecide = Prefix + Permissions.AccessDecide;
    public const string AgreementsRead = Prefix + Permissions.AgreementsRead;
    public const string AgreementsRevoke = Prefix + Permissions.AgreementsRevoke;
    public const string NodesDecide = Prefix + Permissions.NodesDecide;
    public const string JobsRead = Prefix + Permissions.JobsRead;

    private const string Prefix = "portal:";

    public static void Add(AuthorizationOptions options, PermissionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(matrix);
        options.AddPolicy(SignedIn, policy => policy
            .AddAuthenticationSchemes(PortalAuthentication.CookieScheme)
            .RequireAuthenticatedUser());
        foreach (var permission in Permissions.All)
        {
            options.AddPolicy(Prefix + permission, policy => policy
                .AddAuthenticationSchemes(PortalAuthentication.CookieScheme)
                .RequireAuthenticatedUser()
                .RequireRole(matrix.RolesFor(permission)));
        }
    }

    /// <summary>Whether the signed-in user's roles hold <paramref name="permission"/>, to show only the links they can follow.</summary>
    public static bool Holds(this System.Security.Claims.ClaimsPrincipal user, PermissionMatrix matrix, string permission)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(matrix);
        return matrix.RolesFor(permission).Any(user.IsInRole);
    }
}
