using Dragon.Platform.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>The one place where domain errors become RFC 9457 problem+json answers.</summary>
public static class DomainProblems
{
    /// <summary>200 with the value, or the error's problem+json.</summary>
    public static Results<Ok<T>, ProblemHttpResult> OkOrProblem<T>(Result<T> result) =>
        result.Succeeded ? TypedResults.Ok(result.Value) : ToProblem(result.Error);

    public static ProblemHttpResult ToProblem(DomainError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (status, title) = error.Kind switch
        {
            ErrorKind.Validation => (StatusCodes.Status400BadRequest, "The request is invalid."),
            ErrorKind.NotFound => (StatusCodes.Status404NotFound, "Not found."),
            ErrorKind.Forbidden => (StatusCodes.Status403Forbidden, "Forbidden."),
            ErrorKind.Conflict => (StatusCodes.Status409Conflict, "Conflict."),
            ErrorKind.PreconditionFailed => (StatusCodes.Status412PreconditionFailed, "Precondition failed."),
            ErrorKind.PreconditionRequired => (StatusCodes.Status428PreconditionRequired, "Precondition required."),
            _ => throw new ArgumentOutOfRangeException(nameof(error), error.Kind, "Unknown error kind."),
        };
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.Fields is not null)
        {
            extensions["errors"] = error.Fields;
        }
        return TypedResults.Problem(detail: error.Message, statusCode: status, title: title, extensions: extensions);
    }
}
