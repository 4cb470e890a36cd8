using Dragon.Contracts.Identity;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Dragon.Platform.Api.Features.Portal.Pages.Account;

/// <summary>The confirmation step, then the same erasure as <c>POST /api/v1/me/erasure</c>; the session ends with it.</summary>
[Authorize(Policy = PortalPolicies.ConsentsSelf)]
[EnableRateLimiting(IdentitySetup.AuthRateLimit)]
public sealed class EraseModel(AccountErasure erasure, SignInManager<DragonUser> signIn) : PortalPageModel
{
    [BindProperty]
    public string? Password { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var erased = await erasure.EraseAsync(UserId, new AccountErasureRequest(Password), cancellationToken);
        if (!erased.Succeeded)
        {
            ShowError(erased.Error);
            return Page();
        }
        await HttpContext.SignOutAsync(PortalAuthentication.CookieScheme);
        await signIn.SignOutAsync();
        Notify("Your account is erased. Your consents are withdrawn; your hospitals remove your pseudonym from the platform at their next update.");
        return Redirect("/portal");
    }
}
