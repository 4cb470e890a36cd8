using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Portal.Pages.Catalogue;

/// <summary>The catalogue search of <c>GET /api/v1/cohorts</c>, twenty cohorts a page.</summary>
[Authorize(Policy = PortalPolicies.CohortsRead)]
public sealed class IndexModel(CohortCatalogue catalogue) : PortalPageModel
{
    private const int PageSize = 20;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Country { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Variable { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? DataUse { get; set; }

    [BindProperty(Name = "page", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public Paged<CohortResponse> Found { get; private set; } = new([], 1, PageSize, 0);

    public bool HasNext => Found.Page * Found.PageSize < Found.Total;

    public string NextPage => "/portal/catalogue" + new QueryBuilder
    {
        { "q", Q ?? "" }, { "country", Country ?? "" }, { "variable", Variable ?? "" }, { "dataUse", DataUse ?? "" },
        { "page", (Found.Page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) },
    }.ToQueryString();

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Found = await catalogue.SearchAsync(new CohortSearch(Q, Country, Variable, DataUse), new PageRequest(Math.Clamp(PageNumber, 1, PageRequest.MaxPage), PageSize), cancellationToken);
}
