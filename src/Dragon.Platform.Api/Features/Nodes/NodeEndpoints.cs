using System.Security.Claims;
using Dragon.Contracts.Common;
using Dragon.Contracts.Nodes;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Common;
using Dragon.Platform.Identity;
using Dragon.Platform.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dragon.Platform.Api.Features.Nodes;

public static class NodeEndpoints
{
    public static IEndpointRouteBuilder MapNodeEndpoints(this IEndpointRouteBuilder app)
    {
        var nodes = app.MapGroup("/api/v1/nodes").WithTags("Partner nodes");
        nodes.MapPost("/enrollment-tokens", IssueTokenAsync).WithName("IssueEnrollmentToken")
            .WithSummary("Issues a single-use, expiring enrollment token for one organisation (Admin).")
            .RequirePermission(Permissions.NodesIssueEnrollmentTokens);
        nodes.MapPost("/enroll", EnrollAsync).WithName("EnrollNode")
            .WithSummary("Spends an enrollment token: creates the node (Pending) and its client credentials, shown once.")
            .AllowAnyone().RequireRateLimiting(IdentitySetup.AuthRateLimit).DisableAntiforgery();
        nodes.MapGet("/", ListAsync).WithName("ListNodes").WithSummary("Lists partner nodes, optionally by status.")
            .RequirePermission(Permissions.NodesList);
        nodes.MapGet("/{id:guid}", GetAsync).WithName("GetNode").WithSummary("Reads a node (Admin, DataSteward, or the node itself).")
            .RequirePermission(Permissions.NodesRead);
        nodes.MapPost("/{id:guid}/approve", ApproveAsync).WithName("ApproveNode")
            .WithSummary("Pending to Active (Admin, or a steward of one of its cohorts; any steward while it has none).")
            .RequirePermission(Permissions.NodesDecide);
        nodes.MapPost("/{id:guid}/suspend", SuspendAsync).WithName("SuspendNode")
            .WithSummary("Active to Suspended; its tokens stop working at once (Admin, or a steward of one of its cohorts).")
            .RequirePermission(Permissions.NodesDecide);
        nodes.MapPost("/{id:guid}/reinstate", ReinstateAsync).WithName("ReinstateNode")
            .WithSummary("Suspended to Active with a new client secret, shown once (Admin).")
            .RequirePermission(Permissions.NodesReinstate);
        nodes.MapPost("/me/heartbeat", HeartbeatAsync).WithName("NodeHeartbeat").WithSummary("The node reports that it is alive and its agent version.")
            .RequirePermission(Permissions.NodesSelf);
        return app;
    }

    public static async Task<Results<Created<EnrollmentTokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        EnrollmentTokenRequest request, NodeRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var issued = await registry.IssueEnrollmentTokenAsync(request, user.Id(), cancellationToken);
        return issued.Succeeded ? TypedResults.Created((string?)null, issued.Value) : DomainProblems.ToProblem(issued.Error);
    }

    public static async Task<Results<Created<EnrollResponse>, ProblemHttpResult>> EnrollAsync(
        EnrollRequest request, NodeRegistry registry, CancellationToken cancellationToken)
    {
        var enrolled = await registry.EnrollAsync(request, cancellationToken);
        return enrolled.Succeeded
            ? TypedResults.Created($"/api/v1/nodes/{enrolled.Value.NodeId}", enrolled.Value)
            : DomainProblems.ToProblem(enrolled.Error);
    }

    public static async Task<Results<Ok<Paged<NodeResponse>>, ProblemHttpResult>> ListAsync(
        NodeRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken, string? status = null, int? page = null, int? pageSize = null)
    {
        var filter = ListQuery.Status<NodeStatus>(status);
        return filter.Succeeded
            ? await ListQuery.PagedAsync(page, pageSize, paging => registry.ListAsync(filter.Value, paging, Viewer(user), cancellationToken))
            : DomainProblems.ToProblem(filter.Error);
    }

    /// <summary>A node may read only itself; any other id answers 404 as if it did not exist.</summary>
    public static async Task<Results<Ok<NodeResponse>, ProblemHttpResult>> GetAsync(
        Guid id, NodeRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.NodeId() is { } self && self != id)
        {
            return DomainProblems.ToProblem(NodeErrors.NotFound(id));
        }
        var node = await registry.GetAsync(id, Viewer(user), cancellationToken);
        return node.Succeeded ? TypedResults.Ok(node.Value) : DomainProblems.ToProblem(node.Error);
    }

    private static NodeViewer Viewer(ClaimsPrincipal user) => new(user.Id(), user.IsInRole(DragonRoles.Admin), user.NodeId());

    public static async Task<Results<Ok<NodeResponse>, ProblemHttpResult>> ApproveAsync(
        Guid id, NodeRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await registry.ApproveAsync(id, user.Id(), user.IsInRole(DragonRoles.Admin), cancellationToken));

    public static async Task<Results<Ok<NodeResponse>, ProblemHttpResult>> SuspendAsync(
        Guid id, NodeRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await registry.SuspendAsync(id, user.Id(), user.IsInRole(DragonRoles.Admin), cancellationToken));

    public static async Task<Results<Ok<EnrollResponse>, ProblemHttpResult>> ReinstateAsync(
        Guid id, NodeRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await registry.ReinstateAsync(id, user.Id(), cancellationToken));

    public static async Task<Results<Ok<NodeResponse>, ProblemHttpResult>> HeartbeatAsync(
        HeartbeatRequest request, NodeRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await registry.HeartbeatAsync(user.Id(), request, cancellationToken));
}
