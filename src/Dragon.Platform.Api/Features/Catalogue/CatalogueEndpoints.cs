using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Platform.Api.Infrastructure;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Common;
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
            .WithSummary("Publishes a cohort in the catalogue.");
        cohorts.MapGet("/", SearchAsync)
            .WithName("SearchCohorts")
            .WithSummary("Searches the catalogue by text, country, variable and data use, one page at a time.");
        cohorts.MapGet("/{id:guid}", GetAsync)
            .WithName("GetCohort")
            .WithSummary("Reads one cohort; its ETag is the version to send back in If-Match.");
        cohorts.MapPut("/{id:guid}", UpdateAsync)
            .WithName("UpdateCohort")
            .WithSummary("Saves a new version of a cohort; If-Match must carry the current version.");
        return app;
    }

    public static async Task<Results<Created<CohortResponse>, ProblemHttpResult>> CreateAsync(
        CohortRequest request, CohortCatalogue catalogue, HttpResponse response, CancellationToken cancellationToken)
    {
        var created = await catalogue.CreateAsync(request, nodeId: null, cancellationToken);
        if (!created.Succeeded)
        {
            return DomainProblems.ToProblem(created.Error);
        }
        response.Headers.ETag = CohortVersionTag.Format(created.Value.Version);
        return TypedResults.Created($"/api/v1/cohorts/{created.Value.Id}", created.Value);
    }

    public static async Task<Results<Ok<Paged<CohortResponse>>, ProblemHttpResult>> SearchAsync(
        CohortCatalogue catalogue,
        CancellationToken cancellationToken,
        string? q = null,
        string? country = null,
        string? variable = null,
        string? dataUse = null,
        int? page = null,
        int? pageSize = null)
    {
        var paging = PageRequest.From(page, pageSize);
        if (!paging.Succeeded)
        {
            return DomainProblems.ToProblem(paging.Error);
        }
        var found = await catalogue.SearchAsync(new CohortSearch(q, country, variable, dataUse), paging.Value, cancellationToken);
        return TypedResults.Ok(found);
    }

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
        var updated = await catalogue.UpdateAsync(id, request, expectedVersion, cancellationToken);
        if (!updated.Succeeded)
        {
            return DomainProblems.ToProblem(updated.Error);
        }
        response.Headers.ETag = CohortVersionTag.Format(updated.Value.Version);
        return TypedResults.Ok(updated.Value);
    }
}
