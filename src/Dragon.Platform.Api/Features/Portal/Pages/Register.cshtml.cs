using Dragon.Contracts.Identity;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Dragon.Platform.Api.Features.Portal.Pages;

/// <summary>Patient sign-up through the same domain operation, rules and rate limit as <c>POST /api/v1/account/register</c>.</summary>
[EnableRateLimiting(IdentitySetup.AuthRateLimit)]
public sealed class RegisterModel(UserAccounts accounts) : PortalPageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var created = await accounts.RegisterPatientAsync(new RegisterRequest(Email, Password, DisplayName), cancellationToken);
        if (!created.Succeeded)
        {
            ShowError(created.Error);
            return Page();
        }
        Notify("Your account is ready. Enter the link code your hospital gave you.");
        return Redirect("/portal/signin?returnUrl=%2Fportal%2Fconsents%2Flink");
    }
}
