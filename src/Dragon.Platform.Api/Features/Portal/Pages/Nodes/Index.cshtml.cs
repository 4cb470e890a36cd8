using Dragon.Contracts.Nodes;
using Dragon.Platform.Common;
using Dragon.Platform.Identity;
using Dragon.Platform.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Portal.Pages.Nodes;

/// <summary>Pending partner nodes, approved through the same operation as <c>POST /api/v1/nodes/{id}/approve</c>.</summary>
[Authorize(Policy = PortalPolicies.NodesDecide)]
public sealed class IndexModel(NodeRegistry nodes) : PortalPageModel
{
    public IReadOnlyList<NodeResponse> Pending { get; private set; } = [];

    public IReadOnlyList<NodeResponse> Active { get; private set; } = [];

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken cancellationToken)
    {
        var approved = await nodes.ApproveAsync(id, UserId, User.IsInRole(DragonRoles.Admin), cancellationToken);
        if (approved.Succeeded)
        {
            Notify($"{approved.Value.Name} ({approved.Value.Organisation}) is approved and active.");
            return Redirect("/portal/nodes");
        }
        if (approved.Error.Kind == ErrorKind.NotFound)
        {
            return Missing();
        }
        ShowError(approved.Error);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var viewer = new NodeViewer(UserId, User.IsInRole(DragonRoles.Admin));
        Pending = (await nodes.ListAsync(NodeStatus.Pending, FirstPage, viewer, cancellationToken)).Items;
        Active = (await nodes.ListAsync(NodeStatus.Active, FirstPage, viewer, cancellationToken)).Items;
    }
}
