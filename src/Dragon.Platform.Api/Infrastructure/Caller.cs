using System.Security.Claims;
using Dragon.Platform.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>Who is calling, read from the validated access token: a user, or a partner node.</summary>
public static class Caller
{
    public static Guid Id(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return Guid.TryParse(principal.FindFirstValue(Claims.Subject), out var id)
            ? id
            : throw new InvalidOperationException("auth.no_subject: the caller's token carries no subject.");
    }

    public static bool IsNode(this ClaimsPrincipal principal) => principal.HasClaim(Claims.Role, DragonRoles.PartnerNode);

    public static Guid? NodeId(this ClaimsPrincipal principal) => principal.IsNode() ? principal.Id() : null;
}
