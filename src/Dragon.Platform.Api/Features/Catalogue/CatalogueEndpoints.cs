using System.Security.Claims;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Audit;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Common;
using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Dragon.Platform.Api.Features.Catalogue;

public static class CatalogueEndpoints
{
    public static IEndpointRouteBuilder MapCatalogueEndpoints(this IEndpointRouteBuilder app)
    {
        var cohorts = app.MapGroup("/api/v1/cohorts").WithTags("Catalogue");
        cohorts.MapPost("/", CreateAsync)
            .WithName("CreateCohort")
            .WithSummary("Publishes a cohort in the catalogue (a node its own cohorts, a steward any).")
            .RequirePermission(Permissions.CohortsPublish);
        cohorts.MapGet("/", SearchAsync)
            .WithName("SearchCohorts")
            .WithSummary("Searches the catalogue by text, country, variable and data use, one page at a time.")
            .RequirePermission(Permissions.CohortsRead);
        cohorts.MapGet("/{id:guid}", GetAsync)
            .WithName("GetCohort")
            .WithSummary("Reads one cohort; its ETag is the version to send back in If-Match.")
            .RequirePermission(Permissions.CohortsRead);
        cohorts.MapPut("/{id:guid}", UpdateAsync)
            .WithName("UpdateCohort")
            .WithSummary("Saves a new version of a cohort (its node or a steward); If-Match must carry the current version.")
            .RequirePermission(Permissions.CohortsPublish);
        cohorts.MapPost("/{id:guid}/stewards", AddStewardAsync)
            .WithName("AddCohortSteward")
            .WithSummary("Makes a DataSteward a steward of the cohort (Admin).")
            .RequirePermission(Permissions.CohortStewardsManage);
        cohorts.MapDelete("/{id:guid}/stewards/{userId:guid}", RemoveStewardAsync)
            .WithName("RemoveCohortSteward")
            .WithSummary("Removes a steward from the cohort (Admin).")
            .RequirePermission(Permissions.CohortStewardsManage);
        app.MapGet("/api/v1/catalogue/dcat", DcatAsync)
            .WithTags("Catalogue")
            .WithName("GetCatalogueDcat")
            .WithSummary("The whole catalogue as DCAT-AP, one dataset per cohort with its data use in DUO terms: JSON-LD, or Turtle when Accept asks for text/turtle.")
            .Produces<string>(StatusCodes.Status200OK, DcatMediaTypes.JsonLd, DcatMediaTypes.Turtle)
            .RequirePermission(Permissions.CohortsRead);
        return app;
    }

    public static async Task<IResult> DcatAsync(DcatCatalogue dcat, HttpRequest request, CancellationToken cancellationToken)
    {
        var graph = await dcat.BuildAsync(new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/"), cancellationToken);
        return request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(DcatMediaTypes.Turtle, StringComparison.OrdinalIgnoreCase))
            ? TypedResults.Text(graph.ToTurtle(), DcatMediaTypes.Turtle, System.Text.Encoding.UTF8)
            : TypedResults.Text(graph.ToJsonLd(), DcatMediaTypes.JsonLd, System.Text.Encoding.UTF8);
    }

    public static async Task<Results<Created<CohortResponse>, ProblemHttpResult>> CreateAsync(
        CohortRequest request, CohortCatalogue catalogue, ClaimsPrincipal user, HttpResponse response, CancellationToken cancellationToken)
    {
        var created = await catalogue.CreateAsync(request, Publisher(user), cancellationToken);
        if (!created.Succeeded)
        {
            return DomainProblems.ToProblem(created.Error);
        }
        response.Headers.ETag = CohortVersionTag.Format(created.Value.Version);
        return TypedResults.Created($"/api/v1/cohorts/{created.Value.Id}", created.Value);
    }

    public static Task<Results<Ok<Paged<CohortResponse>>, ProblemHttpResult>> SearchAsync(
        CohortCatalogue catalogue,
        CancellationToken cancellationToken,
        string? q = null,
        string? country = null,
        string? variable = null,
        string? dataUse = null,
        int? page = null,
        int? pageSize = null) =>
        ListQuery.PagedAsync(page, pageSize, paging => catalogue.SearchAsync(new CohortSearch(q, country, variable, dataUse), paging, cancellationToken));

    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> GetAsync(
        Guid id, CohortCatalogue catalogue, HttpResponse response, CancellationToken cancellationToken)
    {
        var cohort = await catalogue.GetAsync(id, cancellationToken);
        if (!cohort.Succeeded)
        {
            return DomainProblems.ToProblem(cohort.Error);
        }
        response.Headers.ETag = CohortVersionTag.Format(cohort.Value.Version);
        return TypedResults.Ok(cohort.Value);
    }

    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id,
        CohortRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        CohortCatalogue catalogue,
        ClaimsPrincipal user,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        int? expectedVersion = null;
        if (!string.IsNullOrWhiteSpace(ifMatch))
        {
            if (!CohortVersionTag.TryParse(ifMatch, out var version))
            {
                return DomainProblems.ToProblem(DomainError.Invalid(new Dictionary<string, string[]>
                {
                    ["If-Match"] = ["If-Match must carry the cohort's version as an entity tag, such as \"3\"."],
                }));
            }
            expectedVersion = version;
        }
        var updated = await catalogue.UpdateAsync(id, request, expectedVersion, Publisher(user), cancellationToken);
        if (!updated.Succeeded)
        {
            return DomainProblems.ToProblem(updated.Error);
        }
        response.Headers.ETag = CohortVersionTag.Format(updated.Value.Version);
        return TypedResults.Ok(updated.Value);
    }

    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> AddStewardAsync(
        Guid id, AddStewardRequest request, CohortCatalogue catalogue, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (request.UserId is not { } userId)
        {
            return DomainProblems.ToProblem(DomainError.Invalid(new Dictionary<string, string[]> { ["userId"] = ["userId is required."] }));
        }
        var cohort = await catalogue.AddStewardAsync(id, userId, AuditActor.User(user.Id()), cancellationToken);
        return cohort.Succeeded ? TypedResults.Ok(cohort.Value) : DomainProblems.ToProblem(cohort.Error);
    }

    public static async Task<Results<Ok<CohortResponse>, ProblemHttpResult>> RemoveStewardAsync(
        Guid id, Guid userId, CohortCatalogue catalogue, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DomainProblems.OkOrProblem(await catalogue.RemoveStewardAsync(id, userId, AuditActor.User(user.Id()), cancellationToken));

    private static CohortPublisher Publisher(ClaimsPrincipal user) =>
        user.NodeId() is { } node ? CohortPublisher.Node(node) : CohortPublisher.Steward(user.Id());
}
