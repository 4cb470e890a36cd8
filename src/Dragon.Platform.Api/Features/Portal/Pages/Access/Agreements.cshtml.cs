using Dragon.Contracts.Access;
using Dragon.Platform.Access;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Portal.Pages.Access;

[Authorize(Policy = PortalPolicies.AgreementsRead)]
public sealed class AgreementsModel(Agreements agreements, CohortCatalogue catalogue, PermissionMatrix matrix) : PortalPageModel
{
    public IReadOnlyList<AgreementResponse> Agreements { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> Cohorts { get; private set; } = new Dictionary<Guid, string>();

    public bool CanRevoke(AgreementResponse agreement) =>
        agreement is { Status: "active" } && agreement.ResearcherId != UserId && User.Holds(matrix, Permissions.AgreementsRevoke);

    public async Task OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken cancellationToken)
    {
        var listed = await agreements.ListAsync(UserId, User.IsInRole(DragonRoles.Auditor), ListPage(pageNumber), cancellationToken);
        (Agreements, Pager) = (listed.Items, PortalPager.Of(listed));
        Cohorts = await catalogue.NamesAsync(Agreements.SelectMany(a => a.CohortIds), cancellationToken);
    }
}
