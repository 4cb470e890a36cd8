using System.Text.Json;
using Dragon.Platform.Persistence;
using Microsoft.AspNetCore.Diagnostics;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>
/// Answers exceptions with problem+json: a malformed or oversized request says what was wrong with it; a save
/// that lost a race for a unique row is a 409; anything else is a 500 that names no internals.
/// </summary>
internal sealed class ExceptionProblems(IProblemDetailsService problems, ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (StatusCodes.Status413PayloadTooLarge, "The request body is too large.", exception.Message),
            BadHttpRequestException { InnerException: JsonException json } =>
                (StatusCodes.Status400BadRequest, "The request body is not valid JSON for this route.", Describe(json)),
            BadHttpRequestException bad =>
                (bad.StatusCode, "The request is malformed.", bad.Message),
            _ when UniqueViolation.Is(exception) =>
                (StatusCodes.Status409Conflict, "A concurrent request changed the same record.", "Nothing was saved; read the current state and try again."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred.",
                "The error was logged; quote the trace id when you report it."),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>The JSON reader's own words (position and path), without the .NET type names it adds.</summary>
    private static string Describe(JsonException json) =>
        json.Path is null
            ? "The body could not be parsed as JSON."
            : $"The body could not be read at {json.Path} (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).";
}
