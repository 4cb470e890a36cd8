namespace Dragon.Platform.Catalogue;

/// <summary>The two forms <c>GET /api/v1/catalogue/dcat</c> serves.</summary>
public static class DcatMediaTypes
{
    public const string JsonLd = "application/ld+json";
    public const string Turtle = "text/turtle";
}
