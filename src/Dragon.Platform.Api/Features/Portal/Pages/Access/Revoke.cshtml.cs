using Dragon.Contracts.Access;
using Dragon.Platform.Access;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Portal.Pages.Access;

/// <summary>The confirmation step, then the same revocation as <c>POST /api/v1/agreements/{id}/revoke</c>.</summary>
[Authorize(Policy = PortalPolicies.AgreementsRevoke)]
public sealed class RevokeModel(Agreements agreements, CohortCatalogue catalogue) : PortalPageModel
{
    public AgreementResponse? Agreement { get; private set; }

    public IReadOnlyDictionary<Guid, string> Cohorts { get; private set; } = new Dictionary<Guid, string>();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : Missing();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var revoked = await agreements.RevokeAsync(id, UserId, cancellationToken);
        if (revoked.Succeeded)
        {
            Notify("The agreement is revoked; its unfinished jobs are cancelled.");
            return Redirect("/portal/agreements");
        }
        if (revoked.Error.Kind == ErrorKind.NotFound)
        {
            return Missing();
        }
        ShowError(revoked.Error);
        return await LoadAsync(id, cancellationToken) ? Page() : Missing();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var agreement = await agreements.GetAsync(id, UserId, isAuditor: false, cancellationToken);
        if (!agreement.Succeeded)
        {
            return false;
        }
        Agreement = agreement.Value;
        Cohorts = await catalogue.NamesAsync(Agreement.CohortIds, cancellationToken);
        return true;
    }
}
