using Dragon.Platform.Catalogue;

namespace Dragon.Platform.Api.Features.Catalogue;

public static class CatalogueSetup
{
    public static IServiceCollection AddCatalogue(this IServiceCollection services) =>
        services.AddScoped<CohortCatalogue>().AddScoped<DcatCatalogue>();
}
