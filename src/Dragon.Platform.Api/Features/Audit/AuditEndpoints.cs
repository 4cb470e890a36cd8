using System.Security.Claims;
using System.Text.Json.Nodes;
using Dragon.Contracts.Audit;
using Dragon.Contracts.Common;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Audit;
using Dragon.Platform.Common;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dragon.Platform.Api.Features.Audit;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/v1/audit").WithTags("Audit");
        audit.MapGet("/events", SearchAsync).WithName("ListAuditEvents")
            .WithSummary("Audit events in sequence order, filtered by actor, action, subject (object id) and time (Auditor).")
            .RequirePermission(Permissions.AuditRead);
        audit.MapGet("/verify", VerifyAsync).WithName("VerifyAuditTrail")
            .WithSummary("Recomputes the hash chain from the last verified checkpoint (the whole trail with ?full=true) and checks the signed checkpoints since (Auditor).")
            .RequirePermission(Permissions.AuditRead)
            .RequireRateLimiting(IdentitySetup.AuditVerifyLimit);
        audit.MapGet("/checkpoints/latest", LatestCheckpointAsync).WithName("GetLatestAuditCheckpoint")
            .WithSummary("The latest signed checkpoint of the trail (anyone).")
            .AllowAnyone();
        audit.MapGet("/keys", Keys).WithName("GetAuditKeys")
            .WithSummary("Every key that ever signed checkpoints, with its validity times (anyone).")
            .AllowAnyone();
        audit.MapGet("/records-of-processing", RecordsAsync).WithName("GetRecordsOfProcessing")
            .WithSummary("The GDPR art. 30 register with live figures (Auditor).")
            .RequirePermission(Permissions.AuditRead);
        app.MapGet("/api/v1/nodes/me/audit-events", NodeEventsAsync).WithTags("Partner nodes").WithName("NodeAuditEvents")
            .WithSummary("The calling node's own events in the audit trail (its uploads and refusals) after a sequence, oldest first, at most 500: what it cross-checks against its own log.")
            .RequirePermission(Permissions.NodesSelf);
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<AuditEventResponse>>, ProblemHttpResult>> NodeEventsAsync(
        AuditQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken, long after = 0)
    {
        if (after < 0)
        {
            return DomainProblems.ToProblem(DomainError.Invalid(new Dictionary<string, string[]> { ["after"] = ["after must be 0 or a sequence of the trail."] }));
        }
        return TypedResults.Ok(await queries.ByNodeAsync(user.Id(), after, cancellationToken));
    }

    public static async Task<Results<Ok<Paged<AuditEventResponse>>, ProblemHttpResult>> SearchAsync(
        AuditQueries queries,
        CancellationToken cancellationToken,
        string? actor = null,
        string? action = null,
        string? subject = null,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        int? page = null,
        int? pageSize = null)
    {
        var paging = PageRequest.From(page, pageSize);
        if (!paging.Succeeded)
        {
            return DomainProblems.ToProblem(paging.Error);
        }
        var found = await queries.SearchAsync(new AuditSearch(actor, action, subject, from, to), paging.Value, cancellationToken);
        return found.Succeeded ? TypedResults.Ok(found.Value) : DomainProblems.ToProblem(found.Error);
    }

    public static async Task<Ok<AuditVerifyResponse>> VerifyAsync(AuditVerification verification, CancellationToken cancellationToken, bool full = false)
    {
        var report = await verification.VerifyAsync(cancellationToken, full);
        return TypedResults.Ok(new AuditVerifyResponse(report.Valid, report.EventsChecked, report.FirstInvalidSequence,
            report.LatestCheckpoint is null ? null : AuditQueries.ToResponse(report.LatestCheckpoint), report.VerifiedFrom));
    }

    public static async Task<Results<Ok<AuditCheckpointResponse>, ProblemHttpResult>> LatestCheckpointAsync(
        AuditCheckpoints checkpoints, CancellationToken cancellationToken)
    {
        var latest = await checkpoints.LatestAsync(cancellationToken);
        return latest is null
            ? DomainProblems.ToProblem(new DomainError(ErrorKind.NotFound, "audit.no_checkpoint", "No checkpoint has been signed yet."))
            : TypedResults.Ok(AuditQueries.ToResponse(latest));
    }

    public static Ok<AuditKeyResponse[]> Keys(AuditKeyHistory history) =>
        TypedResults.Ok(history.Keys.Select(k => new AuditKeyResponse(k.KeyId, AuditSigningKey.Algorithm, k.PublicKeyPem, k.ValidFrom, k.ValidTo)).ToArray());

    public static async Task<Ok<JsonObject>> RecordsAsync(RecordsOfProcessing records, CancellationToken cancellationToken) =>
        TypedResults.Ok(await records.BuildAsync(cancellationToken));
}
