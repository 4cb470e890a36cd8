using Dragon.Platform.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Dragon.Platform.Api.Features.Portal;

/// <summary>
/// The web portal at <c>/portal</c>: server-rendered Razor Pages that call the same domain services as the API,
/// so every change is validated and audited exactly as through the API.
/// </summary>
public static class PortalSetup
{
    public const string Path = "/portal";

    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        builder.AddPortalAuthentication();
        builder.Services.AddScoped<PatientConsents>();
        builder.Services.AddOptions<AuthorizationOptions>().Configure<PermissionMatrix>(PortalPolicies.Add);
        builder.Services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Features/Portal/Pages";
            options.Conventions.AuthorizeFolder("/", PortalPolicies.SignedIn);
            options.Conventions.AllowAnonymousToPage("/Index");
            options.Conventions.AllowAnonymousToPage("/Register");
            options.Conventions.AllowAnonymousToPage("/ConfirmEmail");
            options.Conventions.AllowAnonymousToPage("/SignIn");
            options.Conventions.AllowAnonymousToPage("/SignInRefused");
        });
        return builder;
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), portal => portal
            .UsePortalSecurityHeaders()
            .UseStatusCodePages(context => PortalErrorPage.WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode)));
        app.MapPortalAssets();
        app.MapRazorPages();
        return app;
    }
}
