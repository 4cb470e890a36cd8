using Dragon.Contracts.Access;
using Dragon.Platform.Access;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Dragon.Platform.Api.Features.Portal.Pages.Access;

[Authorize(Policy = PortalPolicies.AgreementsRead)]
public sealed class AgreementsModel(Agreements agreements, CohortCatalogue catalogue, PermissionMatrix matrix) : PortalPageModel
{
    public IReadOnlyList<AgreementResponse> Agreements { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> Cohorts { get; private set; } = new Dictionary<Guid, string>();

    public bool CanRevoke(AgreementResponse agreement) =>
        agreement is { Status: "active" } && agreement.ResearcherId != UserId && User.Holds(matrix, Permissions.AgreementsRevoke);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Agreements = (await agreements.ListAsync(UserId, User.IsInRole(DragonRoles.Auditor), FirstPage, cancellationToken)).Items;
        Cohorts = await catalogue.NamesAsync(Agreements.SelectMany(a => a.CohortIds), cancellationToken);
    }
}
