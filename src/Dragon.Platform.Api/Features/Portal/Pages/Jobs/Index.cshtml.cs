using Dragon.Contracts.Jobs;
using Dragon.Platform.Identity;
using Dragon.Platform.Jobs;
using Microsoft.AspNetCore.Authorization;

namespace Dragon.Platform.Api.Features.Portal.Pages.Jobs;

[Authorize(Policy = PortalPolicies.JobsRead)]
public sealed class IndexModel(JobEngine engine) : PortalPageModel
{
    public IReadOnlyList<JobResponse> Jobs { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Jobs = (await engine.ListAsync(UserId, User.IsInRole(DragonRoles.Auditor), FirstPage, cancellationToken)).Items;
}
