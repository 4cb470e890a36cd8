using System.Security.Cryptography;
using System.Text;

namespace Dragon.Platform.Api.Features.Identity;

/// <summary>The shared frame of the server-rendered identity pages: no scripts, a strict content security policy.</summary>
internal static class HtmlPage
{
    // Line endings fixed to \n: browsers hash the text as parsed, and a checkout with \r\n must not change the hash.
    private static readonly string Style = """

          body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 2rem auto; padding: 0 1rem; }
          label, input, button { display: block; width: 100%; margin-top: .5rem; font-size: 1rem; }
          input { padding: .5rem; box-sizing: border-box; }
          button { padding: .6rem; margin-top: 1rem; cursor: pointer; }
          .error { color: #a00; }

        """.ReplaceLineEndings("\n");

    /// <summary>The policy allows exactly this page's own stylesheet, by its hash: no other inline style runs.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IResult Render(string title, string body, int statusCode = StatusCodes.Status200OK) =>
        new Page(title, body, statusCode);

    private sealed class Page(string title, string body, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.CacheControl = "no-store";
            return response.WriteAsync($$"""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>{{System.Net.WebUtility.HtmlEncode(title)}} · Dragon</title>
                <style>{{Style}}</style>
                </head>
                <body>
                {{body}}
                </body>
                </html>
                """);
        }
    }
}
