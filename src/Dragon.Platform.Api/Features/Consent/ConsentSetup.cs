using Dragon.Platform.Consent;

namespace Dragon.Platform.Api.Features.Consent;

public static class ConsentSetup
{
    public static IServiceCollection AddConsent(this IServiceCollection services) => services.AddScoped<ConsentRegistry>().AddScoped<AccessLog>().AddScoped<SubjectErasure>();
}
