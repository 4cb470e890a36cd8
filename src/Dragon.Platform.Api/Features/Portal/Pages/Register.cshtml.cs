using Dragon.Contracts.Identity;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Dragon.Platform.Api.Features.Portal.Pages;

/// <summary>Patient sign-up through the same domain operation, rules and rate limit as <c>POST /api/v1/account/register</c>.</summary>
[EnableRateLimiting(IdentitySetup.AuthRateLimit)]
public sealed class RegisterModel(PatientRegistration registration, IConfiguration configuration) : PortalPageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    /// <summary>The registration went through: the page says to open the e-mailed link, whatever the address's state.</summary>
    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var registered = await registration.RegisterAsync(new RegisterRequest(Email, Password, DisplayName), EmailSetup.PortalAddress(configuration), cancellationToken);
        if (!registered.Succeeded)
        {
            ShowError(registered.Error);
            return Page();
        }
        Sent = true;
        return Page();
    }
}
