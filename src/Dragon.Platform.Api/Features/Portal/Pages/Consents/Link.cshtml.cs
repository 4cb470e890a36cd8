using Dragon.Contracts.Consent;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Consent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Dragon.Platform.Api.Features.Portal.Pages.Consents;

[Authorize(Policy = PortalPolicies.ConsentsSelf)]
[EnableRateLimiting(IdentitySetup.LinkCodeLimit)]
public sealed class LinkModel(ConsentRegistry registry) : PortalPageModel
{
    [BindProperty]
    public string? Code { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var linked = await registry.LinkAsync(UserId, new LinkRequest(Code), cancellationToken);
        if (!linked.Succeeded)
        {
            ShowError(linked.Error);
            return Page();
        }
        Notify(linked.Value.Count == 1 ? "Linked: you can now see 1 consent." : $"Linked: you can now see {linked.Value.Count} consents.");
        return Redirect("/portal/consents");
    }
}
