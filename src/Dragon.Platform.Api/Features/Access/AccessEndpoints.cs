using System.Security.Claims;
using Dragon.Contracts.Access;
using Dragon.Contracts.Common;
using Dragon.Platform.Access;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Common;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dragon.Platform.Api.Features.Access;

public static class AccessEndpoints
{
    public static IEndpointRouteBuilder MapAccessEndpoints(this IEndpointRouteBuilder app)
    {
        var requests = app.MapGroup("/api/v1/access-requests").WithTags("Access");
        requests.MapPost("/", SubmitAsync).WithName("SubmitAccessRequest")
            .WithSummary("A researcher requests access: purpose, cohorts, variables, aggregations, duration, justification.")
            .RequirePermission(Permissions.AccessRequest);
        requests.MapGet("/", ListAsync).WithName("ListAccessRequests")
            .WithSummary("The researcher's own requests, or the requests for a steward's cohorts.")
            .RequirePermission(Permissions.AccessRead);
        requests.MapGet("/{id:guid}", GetAsync).WithName("GetAccessRequest")
            .WithSummary("One request with its decisions (its researcher, its stewards).")
            .RequirePermission(Permissions.AccessRead);
        requests.MapPut("/{id:guid}", AmendAsync).WithName("AmendAccessRequest")
            .WithSummary("The researcher amends a request after changes were requested; it is submitted again.")
            .RequirePermission(Permissions.AccessRequest);
        requests.MapPost("/{id:guid}/withdraw", WithdrawAsync).WithName("WithdrawAccessRequest")
            .WithSummary("The researcher withdraws a request that is not decided yet.")
            .RequirePermission(Permissions.AccessRequest);
        requests.MapPost("/{id:guid}/decisions", DecideAsync).WithName("DecideAccessRequest")
            .WithSummary("A steward of a requested cohort approves, rejects or requests changes.")
            .RequirePermission(Permissions.AccessDecide);

        var agreements = app.MapGroup("/api/v1/agreements").WithTags("Access");
        agreements.MapGet("/", ListAgreementsAsync).WithName("ListAgreements")
            .WithSummary("Agreements of the researcher, of the steward's cohorts, or all for an auditor.")
            .RequirePermission(Permissions.AgreementsRead);
        agreements.MapGet("/{id:guid}", GetAgreementAsync).WithName("GetAgreement")
            .WithSummary("One agreement with its status: active, expired or revoked.")
            .RequirePermission(Permissions.AgreementsRead);
        agreements.MapPost("/{id:guid}/revoke", RevokeAsync).WithName("RevokeAgreement")
            .WithSummary("A steward of one of its cohorts ends the agreement at once.")
            .RequirePermission(Permissions.AgreementsRevoke);
        return app;
    }

    public static async Task<Results<Created<AccessRequestResponse>, ProblemHttpResult>> SubmitAsync(
        AccessRequestBody body, AccessRequests requests, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var request = await requests.SubmitAsync(user.Id(), body, cancellationToken);
        return request.Succeeded ? TypedResults.Created($"/api/v1/access-requests/{request.Value.Id}", request.Value) : DomainProblems.ToProblem(request.Error);
    }

    public static async Task<Results<Ok<Paged<AccessRequestResponse>>, ProblemHttpResult>> ListAsync(
        AccessRequests requests, ClaimsPrincipal user, CancellationToken cancellationToken, string? status = null, int? page = null, int? pageSize = null)
    {
        var filter = ListQuery.Status<AccessRequestStatus>(status);
        return filter.Succeeded
            ? await ListQuery.PagedAsync(page, pageSize, paging => requests.ListAsync(user.Id(), filter.Value, paging, cancellationToken))
            : DomainProblems.ToProblem(filter.Error);
    }

    public static async Task<Results<Ok<AccessRequestResponse>, ProblemHttpResult>> GetAsync(
        Guid id, AccessRequests requests, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await requests.GetAsync(id, user.Id(), cancellationToken));

    public static async Task<Results<Ok<AccessRequestResponse>, ProblemHttpResult>> AmendAsync(
        Guid id, AccessRequestBody body, AccessRequests requests, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await requests.AmendAsync(user.Id(), id, body, cancellationToken));

    public static async Task<Results<Ok<AccessRequestResponse>, ProblemHttpResult>> WithdrawAsync(
        Guid id, AccessRequests requests, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await requests.WithdrawAsync(user.Id(), id, cancellationToken));

    public static async Task<Results<Ok<AccessRequestResponse>, ProblemHttpResult>> DecideAsync(
        Guid id, DecisionRequest body, AccessRequests requests, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await requests.DecideAsync(user.Id(), id, body, cancellationToken));

    public static Task<Results<Ok<Paged<AgreementResponse>>, ProblemHttpResult>> ListAgreementsAsync(
        Agreements agreements, ClaimsPrincipal user, CancellationToken cancellationToken, int? page = null, int? pageSize = null) =>
        ListQuery.PagedAsync(page, pageSize, paging => agreements.ListAsync(user.Id(), user.IsInRole(DragonRoles.Auditor), paging, cancellationToken));

    public static async Task<Results<Ok<AgreementResponse>, ProblemHttpResult>> GetAgreementAsync(
        Guid id, Agreements agreements, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await agreements.GetAsync(id, user.Id(), user.IsInRole(DragonRoles.Auditor), cancellationToken));

    public static async Task<Results<Ok<AgreementResponse>, ProblemHttpResult>> RevokeAsync(
        Guid id, Agreements agreements, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await agreements.RevokeAsync(id, user.Id(), cancellationToken));
}
