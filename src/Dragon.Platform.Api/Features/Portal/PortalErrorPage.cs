using System.Net;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>
/// The page a browser sees when a portal request fails before or instead of a page: an expired form, a
/// missing role, an object that is not the caller's, a sign-in that did not complete.
/// </summary>
public static class PortalErrorPage
{
    public static async Task WriteAsync(HttpContext context, int statusCode, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (title, text) = Describe(statusCode);
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        PortalSecurityHeaders.Apply(response);
        await response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)} · Dragon portal</title>
            <link rel="stylesheet" href="{PortalAssets.StylesheetPath}">
            <link rel="icon" href="{PortalAssets.IconPath}" type="image/svg+xml">
            </head>
            <body>
            <header class="site"><a class="brand" href="/portal">Dragon portal</a></header>
            <main id="main">
            <h1>{WebUtility.HtmlEncode(title)}</h1>
            <p role="alert">{WebUtility.HtmlEncode(message ?? text)}</p>
            <p><a href="/portal">Back to the portal</a></p>
            </main>
            </body>
            </html>
            """, context.RequestAborted);
    }

    private static (string Title, string Text) Describe(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest =>
            ("The form could not be accepted", "The form was sent without its security token, or it expired. Go back, reload the page and try again."),
        StatusCodes.Status403Forbidden =>
            ("Not available to your account", "Your account does not have the role this page needs. If you think it should, ask your platform administrator."),
        StatusCodes.Status404NotFound =>
            ("Not found", "This page or item does not exist, or it is not yours to see."),
        StatusCodes.Status429TooManyRequests =>
            ("Too many attempts", "Too many requests came from your address in the last minute. Wait a minute and try again."),
        >= 500 =>
            ("Something went wrong", "The platform could not complete your request. Nothing was changed; try again in a moment."),
        _ => ("The request could not be completed", "Go back to the portal and try again."),
    };
}
