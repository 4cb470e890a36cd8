using Dragon.Platform.Common;
using Dragon.Platform.Consent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Portal.Pages.Consents;

/// <summary>The confirmation step, then the same withdrawal as <c>POST /api/v1/me/consents/{id}/withdraw</c>.</summary>
[Authorize(Policy = PortalPolicies.ConsentsSelf)]
public sealed class WithdrawModel(PatientConsents consents, ConsentRegistry registry) : PortalPageModel
{
    public ConsentView? View { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        View = await consents.FindAsync(UserId, id, cancellationToken);
        return View is null ? Missing() : Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var withdrawn = await registry.WithdrawAsync(UserId, id, cancellationToken);
        if (withdrawn.Succeeded)
        {
            Notify($"Your consent is withdrawn (version {withdrawn.Value.Version}).");
            return Redirect("/portal/consents");
        }
        if (withdrawn.Error.Kind == ErrorKind.NotFound)
        {
            return Missing();
        }
        ShowError(withdrawn.Error);
        return await OnGetAsync(id, cancellationToken);
    }
}
