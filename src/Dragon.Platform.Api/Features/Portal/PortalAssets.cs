using System.Text;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>The portal's stylesheet and icon, embedded in the host so no static-file folder has to be deployed.</summary>
public static class PortalAssets
{
    public const string StylesheetPath = "/portal/assets/portal.css";
    public const string IconPath = "/portal/assets/icon.svg";

    private const string Icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5cad"/><path d="M9 7h7a9 9 0 0 1 0 18H9z" fill="#fff"/></svg>
        """;

    private static readonly Lazy<byte[]> Stylesheet = new(() =>
    {
        using var stream = typeof(PortalAssets).Assembly.GetManifestResourceStream("Dragon.Portal.portal.css")
            ?? throw new InvalidOperationException("portal.stylesheet_missing: the portal stylesheet is not embedded in the host.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IEndpointRouteBuilder MapPortalAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet(StylesheetPath, (HttpContext context) => Asset(context, Stylesheet.Value, "text/css; charset=utf-8"))
            .ExcludeFromDescription().AllowAnonymous();
        app.MapGet(IconPath, (HttpContext context) => Asset(context, Encoding.UTF8.GetBytes(Icon), "image/svg+xml"))
            .ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static IResult Asset(HttpContext context, byte[] content, string contentType)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Bytes(content, contentType);
    }
}
