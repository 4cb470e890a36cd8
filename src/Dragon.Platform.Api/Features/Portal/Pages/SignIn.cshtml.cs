using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Dragon.Platform.Api.Features.Portal.Pages;

/// <summary>Starts the sign-in at the platform's OpenID Connect server; comes back to a portal page.</summary>
public sealed class SignInModel : PageModel
{
    public IActionResult OnGet(string? returnUrl) =>
        Challenge(new AuthenticationProperties { RedirectUri = PortalReturnUrl(returnUrl) }, PortalAuthentication.OidcScheme);

    /// <summary>Only portal paths: an open redirect would let a phishing link borrow our sign-in.</summary>
    private string PortalReturnUrl(string? returnUrl) =>
        returnUrl is not null && Url.IsLocalUrl(returnUrl) && (returnUrl == "/portal" || returnUrl.StartsWith("/portal/", StringComparison.Ordinal))
            ? returnUrl
            : "/portal";
}
