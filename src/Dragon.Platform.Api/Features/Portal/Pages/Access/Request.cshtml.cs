using Dragon.Contracts.Access;
using Dragon.Platform.Access;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Common;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Portal.Pages.Access;

/// <summary>One request with its justification; a steward decides it through the same operation as <c>POST /api/v1/access-requests/{id}/decisions</c>.</summary>
[Authorize(Policy = PortalPolicies.AccessRead)]
public sealed class RequestModel(AccessRequests requests, CohortCatalogue catalogue, UserAccounts accounts, PermissionMatrix matrix) : PortalPageModel
{
    public AccessRequestResponse? AccessRequest { get; private set; }

    public string Researcher { get; private set; } = "";

    public IReadOnlyDictionary<Guid, string> Cohorts { get; private set; } = new Dictionary<Guid, string>();

    [BindProperty]
    public string? Decision { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    /// <summary>With an approval: allow exact releases instead of differentially private ones.</summary>
    [BindProperty]
    public bool ExactRelease { get; set; }

    public bool CanDecide =>
        AccessRequest is { Status: nameof(AccessRequestStatus.Submitted) } request
        && request.ResearcherId != UserId
        && User.Holds(matrix, Permissions.AccessDecide)
        && !request.Decisions.Any(d => d.Round == request.Round && d.StewardId == UserId);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : Missing();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!User.Holds(matrix, Permissions.AccessDecide))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var decided = await requests.DecideAsync(UserId, id, new DecisionRequest(Decision, Comment, Decision == "approve" && ExactRelease ? "exact" : null), cancellationToken);
        if (decided.Succeeded)
        {
            Notify(decided.Value.Status switch
            {
                nameof(AccessRequestStatus.Approved) => "You approved the request; the agreement is in force.",
                nameof(AccessRequestStatus.Rejected) => "You rejected the request.",
                nameof(AccessRequestStatus.ChangesRequested) => "You asked the researcher for changes.",
                _ => "Your approval is recorded; the request waits for the stewards of its other cohorts.",
            });
            return Redirect($"/portal/requests/{id}");
        }
        if (decided.Error.Kind == ErrorKind.NotFound)
        {
            return Missing();
        }
        ShowError(decided.Error);
        return await LoadAsync(id, cancellationToken) ? Page() : Missing();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var request = await requests.GetAsync(id, UserId, cancellationToken);
        if (!request.Succeeded)
        {
            return false;
        }
        AccessRequest = request.Value;
        var researcher = await accounts.GetAsync(AccessRequest.ResearcherId, cancellationToken);
        Researcher = researcher.Succeeded ? $"{researcher.Value.DisplayName} ({researcher.Value.Email})" : "unknown";
        Cohorts = await catalogue.NamesAsync(AccessRequest.CohortIds.Concat(AccessRequest.Decisions.Select(d => d.CohortId)), cancellationToken);
        return true;
    }
}
