using Dragon.Platform.Policies;
using Microsoft.AspNetCore.Authorization;

namespace Dragon.Platform.Api.Features.Portal.Pages.Consents;

[Authorize(Policy = PortalPolicies.ConsentsSelf)]
public sealed class IndexModel(PatientConsents consents, DataUsePolicy dataUse) : PortalPageModel
{
    public IReadOnlyList<ConsentView> Consents { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Consents = await consents.ListAsync(UserId, cancellationToken);

    public string Labels(IEnumerable<string> purposes) =>
        string.Join("; ", purposes.Select(code => dataUse.Find(code)?.Label ?? code));
}
