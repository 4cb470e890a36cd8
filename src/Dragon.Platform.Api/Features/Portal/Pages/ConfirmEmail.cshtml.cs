using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Dragon.Platform.Api.Features.Portal.Pages;

/// <summary>The link in the registration e-mail: confirms the address, as <c>POST /api/v1/account/confirm</c> does.</summary>
[EnableRateLimiting(IdentitySetup.AuthRateLimit)]
public sealed class ConfirmEmailModel(PatientRegistration registration) : PortalPageModel
{
    public bool Confirmed { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery] Guid? user, [FromQuery] string? token, CancellationToken cancellationToken)
    {
        var confirmed = await registration.ConfirmAsync(user ?? Guid.Empty, token, cancellationToken);
        Confirmed = confirmed.Succeeded;
        if (!confirmed.Succeeded)
        {
            ShowError(confirmed.Error);
        }
        return Page();
    }
}
