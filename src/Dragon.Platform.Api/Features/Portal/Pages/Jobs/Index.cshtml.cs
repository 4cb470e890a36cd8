using Dragon.Contracts.Jobs;
using Dragon.Platform.Identity;
using Dragon.Platform.Jobs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Portal.Pages.Jobs;

[Authorize(Policy = PortalPolicies.JobsRead)]
public sealed class IndexModel(JobEngine engine) : PortalPageModel
{
    public IReadOnlyList<JobResponse> Jobs { get; private set; } = [];

    public async Task OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken cancellationToken)
    {
        var jobs = await engine.ListAsync(UserId, User.IsInRole(DragonRoles.Auditor), ListPage(pageNumber), cancellationToken);
        (Jobs, Pager) = (jobs.Items, PortalPager.Of(jobs));
    }
}
