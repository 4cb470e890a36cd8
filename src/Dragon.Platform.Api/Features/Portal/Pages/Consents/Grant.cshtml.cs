using Dragon.Contracts.Consent;
using Dragon.Platform.Common;
using Dragon.Platform.Consent;
using Dragon.Platform.Policies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Portal.Pages.Consents;

/// <summary>Chooses the purposes and confirms them: the same re-grant as <c>POST /api/v1/me/consents/{id}/grant</c>.</summary>
[Authorize(Policy = PortalPolicies.ConsentsSelf)]
public sealed class GrantModel(PatientConsents consents, ConsentRegistry registry, DataUsePolicy dataUse) : PortalPageModel
{
    public ConsentView? View { get; private set; }

    [BindProperty]
    public List<string> Purposes { get; set; } = [];

    public IEnumerable<DataUseTerm> Permissions => dataUse.Terms.Where(t => t.Kind == DataUseTermKind.Permission);

    public IEnumerable<DataUseTerm> Modifiers => dataUse.Terms.Where(t => t.Kind == DataUseTermKind.Modifier);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        View = await consents.FindAsync(UserId, id, cancellationToken);
        if (View is null)
        {
            return Missing();
        }
        Purposes = [.. View.Consent.Purposes];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var granted = await registry.GrantAsync(UserId, id, new GrantRequest(Purposes), cancellationToken);
        if (granted.Succeeded)
        {
            Notify($"Your consent is given (version {granted.Value.Version}).");
            return Redirect("/portal/consents");
        }
        if (granted.Error.Kind == ErrorKind.NotFound)
        {
            return Missing();
        }
        ShowError(granted.Error);
        View = await consents.FindAsync(UserId, id, cancellationToken);
        return View is null ? Missing() : Page();
    }
}
