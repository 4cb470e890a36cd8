using Dragon.Contracts.Consent;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Consent;
using Microsoft.AspNetCore.Authorization;

namespace Dragon.Platform.Api.Features.Portal.Pages.Consents;

/// <summary>GDPR art. 15: the same log as <c>GET /api/v1/me/access-log</c>.</summary>
[Authorize(Policy = PortalPolicies.ConsentsSelf)]
public sealed class AccessLogModel(AccessLog log, CohortCatalogue catalogue) : PortalPageModel
{
    public IReadOnlyList<AccessLogEntry> Entries { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> Cohorts { get; private set; } = new Dictionary<Guid, string>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Entries = await log.ForPatientAsync(UserId, cancellationToken);
        Cohorts = await catalogue.NamesAsync(Entries.Select(e => e.CohortId), cancellationToken);
    }
}
