using Dragon.Contracts.Access;
using Dragon.Platform.Access;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Portal.Pages.Access;

public sealed record RequestRow(AccessRequestResponse Request, string Researcher, string Cohorts);

/// <summary>A steward's queue (requests for their cohorts) and a researcher's own requests: the list of <c>GET /api/v1/access-requests</c>.</summary>
[Authorize(Policy = PortalPolicies.AccessRead)]
public sealed class RequestsModel(AccessRequests requests, CohortCatalogue catalogue, UserAccounts accounts, PermissionMatrix matrix) : PortalPageModel
{
    public IReadOnlyList<AccessRequestResponse> Queue { get; private set; } = [];

    public IReadOnlyList<AccessRequestResponse> Mine { get; private set; } = [];

    public IReadOnlyList<RequestRow> QueueRows { get; private set; } = [];

    public IReadOnlyList<RequestRow> MineRows { get; private set; } = [];

    public bool IsSteward => User.Holds(matrix, Permissions.AccessDecide);

    public bool IsResearcher => User.Holds(matrix, Permissions.AccessRequest);

    public int Waiting => Queue.Count(r => r.Status == nameof(AccessRequestStatus.Submitted));

    public async Task OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken cancellationToken)
    {
        // A steward's waiting requests on every page, however many newer decided ones there are; then a page of all.
        var waiting = IsSteward ? (await requests.ListAsync(UserId, AccessRequestStatus.Submitted, FirstPage, cancellationToken)).Items : [];
        var recent = await requests.ListAsync(UserId, status: null, ListPage(pageNumber), cancellationToken);
        Pager = PortalPager.Of(recent);
        Queue = [.. waiting.UnionBy(recent.Items, r => r.Id).Where(r => r.ResearcherId != UserId)
            .OrderBy(r => r.Status != nameof(AccessRequestStatus.Submitted)).ThenByDescending(r => r.SubmittedAt)];
        Mine = [.. recent.Items.Where(r => r.ResearcherId == UserId)];
        var all = Queue.Concat(Mine).ToList();
        var cohorts = await catalogue.NamesAsync(all.SelectMany(r => r.CohortIds), cancellationToken);
        var researchers = await accounts.DisplayNamesAsync(all.Select(r => r.ResearcherId), cancellationToken);
        QueueRows = [.. Queue.Select(r => Row(r, researchers, cohorts))];
        MineRows = [.. Mine.Select(r => Row(r, researchers, cohorts))];
    }

    private static RequestRow Row(AccessRequestResponse request, IReadOnlyDictionary<Guid, string> researchers, IReadOnlyDictionary<Guid, string> cohorts) =>
        new(request, researchers.GetValueOrDefault(request.ResearcherId, "unknown"), string.Join(", ", request.CohortIds.Select(cohorts.Of)));
}
