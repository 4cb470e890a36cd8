using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Dragon.Platform.Api.Features.Portal.Pages;

/// <summary>
/// Ends the portal session and the sign-in session at the platform's OpenID Connect server (same host, so both
/// cookies are cleared here), so the next sign-in asks for the password again.
/// </summary>
public sealed class SignOutModel(SignInManager<DragonUser> signIn) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(PortalAuthentication.CookieScheme);
        await signIn.SignOutAsync();
        return Redirect("/portal");
    }
}
