using Dragon.Contracts.Common;
using Dragon.Platform.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>The query parameters every list route shares: <c>page</c>, <c>pageSize</c> and an optional <c>status</c> filter.</summary>
public static class ListQuery
{
    /// <summary>Checks the paging (a 400 names the bad parameter), then answers the page <paramref name="list"/> reads.</summary>
    public static async Task<Results<Ok<Paged<T>>, ProblemHttpResult>> PagedAsync<T>(int? page, int? pageSize, Func<PageRequest, Task<Paged<T>>> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var paging = PageRequest.From(page, pageSize);
        return paging.Succeeded ? TypedResults.Ok(await list(paging.Value)) : DomainProblems.ToProblem(paging.Error);
    }

    /// <summary>A <c>?status=</c> filter: absent is no filter; an unknown value is a 400 listing the known ones.</summary>
    public static Result<TStatus?> Status<TStatus>(string? status) where TStatus : struct, Enum
    {
        if (string.IsNullOrEmpty(status))
        {
            return Result.Ok<TStatus?>(null);
        }
        return Enum.TryParse<TStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? Result.Ok<TStatus?>(parsed)
            : DomainError.Invalid(new Dictionary<string, string[]>
            {
                ["status"] = [$"status must be one of {string.Join(", ", Enum.GetNames<TStatus>())}."],
            });
    }
}
