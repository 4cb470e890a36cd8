using System.Security.Claims;
using Dragon.Contracts.Consent;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Consent;
using Dragon.Platform.Identity;
using Dragon.Platform.Policies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Consent;

public static class ConsentEndpoints
{
    /// <summary>A full batch with long evidence texts fits; anything larger is refused before it is read.</summary>
    public const long MaxBatchBodyBytes = 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapConsentEndpoints(this IEndpointRouteBuilder app)
    {
        var consents = app.MapGroup("/api/v1/consents").WithTags("Consent");
        consents.MapPost("/", RegisterAsync).WithName("RegisterConsent")
            .WithSummary("A node registers or updates its subject's consent; every change is a new version.")
            .RequirePermission(Permissions.ConsentsManage);
        consents.MapPost("/batch", RegisterBatchAsync).WithName("RegisterConsentBatch")
            .WithSummary("A node registers up to 1,000 consents in one transaction; when one is refused, none is saved.")
            .RequirePermission(Permissions.ConsentsManage)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBatchBodyBytes))
            .RequireRateLimiting(IdentitySetup.NodeUploadLimit);
        consents.MapPost("/link-codes", IssueLinkCodeAsync).WithName("IssueLinkCode")
            .WithSummary("A node gets a one-time code to hand its patient.")
            .RequirePermission(Permissions.ConsentsManage);
        consents.MapPost("/erasures", EraseSubjectAsync).WithName("EraseSubject")
            .WithSummary("A node asks to erase its subject (GDPR art. 17): consents withdrawn now, the pseudonym removed once the agent has read them.")
            .RequirePermission(Permissions.ConsentsManage);
        consents.MapGet("/{id:guid}/fhir", FhirAsync).WithName("GetConsentAsFhir")
            .WithSummary("The consent as an HL7 FHIR R4 Consent resource (the patient, the node, Auditor).")
            .RequirePermission(Permissions.ConsentsFhir);

        var me = app.MapGroup("/api/v1/me").WithTags("Consent");
        me.MapPost("/links", LinkAsync).WithName("LinkPatient")
            .WithSummary("The patient links their account to their pseudonym at a hospital with a one-time code (10 attempts an hour).")
            .RequirePermission(Permissions.ConsentsSelf)
            .RequireRateLimiting(IdentitySetup.LinkCodeLimit);
        me.MapGet("/consents", MineAsync).WithName("ListMyConsents")
            .WithSummary("The patient's consents with their full history.")
            .RequirePermission(Permissions.ConsentsSelf);
        me.MapPost("/consents/{id:guid}/withdraw", WithdrawAsync).WithName("WithdrawConsent")
            .WithSummary("Adds a withdrawn version; effective for every job that starts later.")
            .RequirePermission(Permissions.ConsentsSelf);
        me.MapPost("/consents/{id:guid}/grant", GrantAsync).WithName("GrantConsent")
            .WithSummary("Re-grants the consent for the given purposes.")
            .RequirePermission(Permissions.ConsentsSelf);

        me.MapGet("/access-log", AccessLogAsync).WithName("MyAccessLog")
            .WithSummary("Which agreements used the patient's cohorts while their consent was granted (GDPR art. 15): the newest 1,000 entries, or those before ?before=.")
            .RequirePermission(Permissions.ConsentsSelf);

        app.MapGet("/api/v1/nodes/me/consent-changes", FeedAsync).WithTags("Consent").WithName("ConsentChanges")
            .WithSummary("The node's change feed of its subjects' consent versions, after a cursor.")
            .RequirePermission(Permissions.ConsentsManage);
        return app;
    }

    public static async Task<Results<Ok<ConsentResponse>, ProblemHttpResult>> RegisterAsync(
        ConsentRequest request, ConsentRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await registry.RegisterAsync(user.Id(), request, cancellationToken));

    public static async Task<Results<Ok<ConsentBatchResponse>, ProblemHttpResult>> RegisterBatchAsync(
        ConsentBatchRequest request, ConsentRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await registry.RegisterBatchAsync(user.Id(), request, cancellationToken));

    public static async Task<Results<Created<LinkCodeResponse>, ProblemHttpResult>> IssueLinkCodeAsync(
        LinkCodeRequest request, ConsentRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var code = await registry.IssueLinkCodeAsync(user.Id(), request, cancellationToken);
        return code.Succeeded ? TypedResults.Created((string?)null, code.Value) : DomainProblems.ToProblem(code.Error);
    }

    public static async Task<Results<Ok<SubjectErasureResponse>, ProblemHttpResult>> EraseSubjectAsync(
        SubjectErasureRequest request, SubjectErasure erasure, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await erasure.RequestByNodeAsync(user.Id(), request, cancellationToken));

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> FhirAsync(
        Guid id, ConsentRegistry registry, DataUsePolicy dataUse, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var reader = new ConsentReader(user.IsNode() ? null : user.Id(), user.NodeId(), user.IsInRole(DragonRoles.Auditor));
        var consent = await registry.ReadableAsync(id, reader, cancellationToken);
        return consent.Succeeded
            ? TypedResults.Content(FhirConsent.ToJson(FhirConsent.Build(consent.Value, dataUse)), "application/fhir+json")
            : DomainProblems.ToProblem(consent.Error);
    }

    public static async Task<Results<Ok<IReadOnlyList<ConsentResponse>>, ProblemHttpResult>> LinkAsync(
        LinkRequest request, ConsentRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await registry.LinkAsync(user.Id(), request, cancellationToken));

    public static async Task<Ok<IReadOnlyList<ConsentResponse>>> MineAsync(
        ConsentRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await registry.ForPatientAsync(user.Id(), cancellationToken));

    public static async Task<Ok<IReadOnlyList<AccessLogEntry>>> AccessLogAsync(
        AccessLog log, ClaimsPrincipal user, CancellationToken cancellationToken, DateTimeOffset? before = null) =>
        TypedResults.Ok(await log.ForPatientAsync(user.Id(), cancellationToken, before));

    public static async Task<Results<Ok<ConsentResponse>, ProblemHttpResult>> WithdrawAsync(
        Guid id, ConsentRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await registry.WithdrawAsync(user.Id(), id, cancellationToken));

    public static async Task<Results<Ok<ConsentResponse>, ProblemHttpResult>> GrantAsync(
        Guid id, GrantRequest request, ConsentRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await registry.GrantAsync(user.Id(), id, request, cancellationToken));

    public static async Task<Results<Ok<ConsentFeed>, ProblemHttpResult>> FeedAsync(
        ConsentRegistry registry, SubjectErasure erasure, ClaimsPrincipal user, CancellationToken cancellationToken, long? after = null, int? limit = null)
    {
        if (after is < 0 || limit is < 1 or > ConsentRegistry.FeedPageSize)
        {
            return DomainProblems.ToProblem(Dragon.Platform.Common.DomainError.Invalid(new Dictionary<string, string[]>
            {
                ["after"] = ["after must be a cursor from an earlier page (0 or more)."],
                ["limit"] = [$"limit must be between 1 and {ConsentRegistry.FeedPageSize}."],
            }));
        }
        // Asking for what follows a cursor says the node holds everything up to it, erasure withdrawals included.
        await erasure.CompleteDeliveredAsync(user.Id(), after ?? 0, cancellationToken);
        return TypedResults.Ok(await registry.FeedAsync(user.Id(), after ?? 0, limit ?? ConsentRegistry.FeedPageSize, cancellationToken));
    }
}
