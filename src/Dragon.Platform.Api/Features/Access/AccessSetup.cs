using Dragon.Platform.Access;
using Dragon.Platform.Policies;
using Hangfire;

namespace Dragon.Platform.Api.Features.Access;

public static class AccessSetup
{
    public static WebApplicationBuilder AddAccess(this WebApplicationBuilder builder)
    {
        var policies = (builder.Configuration.GetSection(PolicyOptions.Section).Get<PolicyOptions>() ?? new PolicyOptions()).ResolveDirectory();
        builder.Services.AddSingleton(DisclosurePolicy.Load(policies));
        builder.Services.AddScoped<AccessRequests>();
        builder.Services.AddScoped<Agreements>();
        return builder;
    }

    /// <summary>Expires agreements every 10 minutes; reads already report an agreement past its date as expired.</summary>
    public static WebApplication ScheduleAccessJobs(this WebApplication app)
    {
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<Agreements>(Agreements.ExpiryJobId, agreements => agreements.ExpireAsync(CancellationToken.None), "*/10 * * * *");
        return app;
    }
}
