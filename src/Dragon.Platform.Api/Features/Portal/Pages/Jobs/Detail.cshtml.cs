using Dragon.Contracts.Jobs;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Identity;
using Dragon.Platform.Jobs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Portal.Pages.Jobs;

/// <summary>One job and its released result, as <c>GET /api/v1/jobs/{id}</c> answers it.</summary>
[Authorize(Policy = PortalPolicies.JobsRead)]
public sealed class DetailModel(JobEngine engine, CohortCatalogue catalogue) : PortalPageModel
{
    public JobResponse? Job { get; private set; }

    public BarChart? Chart { get; private set; }

    public IReadOnlyDictionary<Guid, string> Cohorts { get; private set; } = new Dictionary<Guid, string>();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var job = await engine.GetAsync(id, UserId, User.IsInRole(DragonRoles.Auditor), cancellationToken);
        if (!job.Succeeded)
        {
            return Missing();
        }
        Job = job.Value;
        Chart = Job.Result is null ? null : BarChart.From(Job.Result, Job.Aggregation);
        Cohorts = await catalogue.NamesAsync(Job.CohortIds, cancellationToken);
        return Page();
    }
}
