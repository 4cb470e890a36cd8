using System.Security.Claims;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Identity;
using Dragon.Platform.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Jobs;

public static class KeySetEndpoints
{
    /// <summary>A public-key share of the largest preset is under 4 MiB, so 8 MiB of base64 JSON holds any.</summary>
    public const long MaxShareBodyBytes = 8 * 1024 * 1024;


    public static IEndpointRouteBuilder MapKeySetEndpoints(this IEndpointRouteBuilder app)
    {
        var keySets = app.MapGroup("/api/v1/key-sets").WithTags("Key sets");
        keySets.MapPost("/", CreateAsync).WithName("CreateKeySet")
            .WithSummary("Starts a key ceremony for a group of active nodes with a parameter preset.")
            .RequirePermission(Permissions.KeySetsCreate);
        keySets.MapGet("/{id:guid}", GetAsync).WithName("GetKeySet")
            .WithSummary("Status, parameters, common seed, the roster with every member's signed share and, when Ready, the collective public key (its members, Admins, Auditors, the stewards of its members' cohorts, researchers with agreements over them).")
            .RequirePermission(Permissions.KeySetsRead);
        keySets.MapPost("/{id:guid}/shares", UploadShareAsync).WithName("UploadKeyShare")
            .WithSummary("A node of the set uploads its public-key share (once; the same share again is accepted).")
            .RequirePermission(Permissions.NodesSelf)
            .WithMetadata(new RequestSizeLimitAttribute(MaxShareBodyBytes))
            .RequireRateLimiting(IdentitySetup.NodeUploadLimit);
        keySets.MapPost("/{id:guid}/retire", RetireAsync).WithName("RetireKeySet")
            .WithSummary("Retires a key set: no new jobs under it (those submitted finish); make a new key set for the new members.")
            .RequirePermission(Permissions.KeySetsCreate);
        keySets.MapPost("/{id:guid}/threshold-shares", UploadThresholdSharesAsync).WithName("UploadThresholdShares")
            .WithSummary("A member of a t-of-N key set uploads its threshold shares, one sealed to each member and signed (once).")
            .RequirePermission(Permissions.NodesSelf)
            .WithMetadata(new RequestSizeLimitAttribute(KeySets.MaxThresholdSharesBodyBytes))
            .RequireRateLimiting(IdentitySetup.NodeUploadLimit);
        keySets.MapGet("/{id:guid}/threshold-shares", ThresholdSharesAsync).WithName("ReceivedThresholdShares")
            .WithSummary("The threshold shares the members of a t-of-N key set have dealt to the calling node, sealed to it.")
            .RequirePermission(Permissions.NodesSelf);
        app.MapGet("/api/v1/nodes/me/tasks", TasksAsync).WithTags("Partner nodes").WithName("NodeTasks")
            .WithSummary("Work waiting for the calling node: key-share uploads, job contributions and decryption shares.")
            .RequirePermission(Permissions.NodesSelf);
        return app;
    }

    public static async Task<Results<Created<KeySetResponse>, ProblemHttpResult>> CreateAsync(
        KeySetRequest request, KeySets keySets, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var created = await keySets.CreateAsync(request, user.Id(), cancellationToken);
        return created.Succeeded ? TypedResults.Created($"/api/v1/key-sets/{created.Value.Id}", created.Value) : DomainProblems.ToProblem(created.Error);
    }

    public static async Task<Results<Ok<KeySetResponse>, ProblemHttpResult>> GetAsync(Guid id, KeySets keySets, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await keySets.GetAsync(id, user.Id(), user.IsInRole(DragonRoles.Admin) || user.IsInRole(DragonRoles.Auditor), cancellationToken));

    public static async Task<Results<Ok<KeySetResponse>, ProblemHttpResult>> UploadShareAsync(
        Guid id, KeyShareUpload upload, KeySets keySets, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await keySets.UploadShareAsync(id, user.Id(), upload, cancellationToken));

    public static async Task<Results<Ok<KeySetResponse>, ProblemHttpResult>> RetireAsync(
        Guid id, KeySetRetirement retirement, KeySets keySets, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await keySets.RetireAsync(id, user.Id(), retirement?.Reason, cancellationToken));

    public static async Task<Results<Ok<KeySetResponse>, ProblemHttpResult>> UploadThresholdSharesAsync(
        Guid id, ThresholdSharesUpload upload, KeySets keySets, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await keySets.UploadThresholdSharesAsync(id, user.Id(), upload, cancellationToken));

    public static async Task<Results<Ok<List<SealedThresholdShare>>, ProblemHttpResult>> ThresholdSharesAsync(
        Guid id, KeySets keySets, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await keySets.ThresholdSharesForAsync(id, user.Id(), cancellationToken));

    public static async Task<Ok<List<NodeTask>>> TasksAsync(KeySets keySets, JobNodeTasks jobs, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok<List<NodeTask>>([.. await keySets.PendingSharesAsync(user.Id(), cancellationToken), .. await jobs.ForNodeAsync(user.Id(), cancellationToken)]);
}
