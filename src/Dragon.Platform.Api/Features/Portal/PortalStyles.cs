namespace Dragon.Platform.Api.Features.Portal;

/// <summary>The portal's one stylesheet, embedded in the host so no static-file folder has to be deployed.</summary>
public static class PortalStyles
{
    public const string Path = "/portal/assets/portal.css";

    private static readonly Lazy<byte[]> Content = new(() =>
    {
        using var stream = typeof(PortalStyles).Assembly.GetManifestResourceStream("Dragon.Portal.portal.css")
            ?? throw new InvalidOperationException("portal.stylesheet_missing: the portal stylesheet is not embedded in the host.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IEndpointRouteBuilder MapPortalStyles(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(Content.Value, "text/css; charset=utf-8");
        }).ExcludeFromDescription().AllowAnonymous();
        return app;
    }
}
