using Dragon.Contracts.Common;
using Dragon.Platform.Identity;
using Dragon.Platform.Policies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http.Json;
using Serilog;
using Serilog.Formatting.Compact;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>What every route shares: logging, JSON conventions, problem+json errors, body limits, OpenAPI.</summary>
public static class ApiDefaults
{
    public static WebApplicationBuilder AddApiDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext();
            if (builder.Configuration.GetValue<bool>("Logging:Json"))
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}", formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        });

        builder.Services.Configure<JsonOptions>(options => DragonJson.Configure(options.SerializerOptions));
        // Binding failures throw, so ExceptionProblems can answer them with problem+json like every other error.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier));
        builder.Services.AddExceptionHandler<ExceptionProblems>();
        var hardened = builder.IsHardened();
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = hardened ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in builder.Configuration.GetSection("Api:KnownProxies").Get<string[]>() ?? [])
            {
                options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });
        builder.Services.AddOpenApi(options => options
            .AddPermissionExtensions()
            .AddSecurityAndProblems()
            .AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Dragon Platform API";
                document.Info.Description = "Cohort catalogue, partner nodes, consent, data access and encrypted aggregation for health research consortia.";
                return Task.CompletedTask;
            }));
        builder.Services.AddSingleton(TimeProvider.System);

        var policies = builder.Configuration.GetSection(PolicyOptions.Section).Get<PolicyOptions>() ?? new PolicyOptions();
        builder.Services.AddSingleton(DataUsePolicy.Load(policies.ResolveDirectory()));
        return builder;
    }

    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        if (app.Configuration.GetSection("Api:KnownProxies").Get<string[]>() is { Length: > 0 })
        {
            app.UseForwardedHeaders();
        }
        app.UseSerilogRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseRequestBodyLimit(app.Configuration.GetValue("Api:MaxRequestBodyBytes", RequestBodyLimit.DefaultBytes));
        app.UseAuthentication();
        // After authentication, so a limit can be kept per node rather than per address.
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapOpenApi().AllowAnyone();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "Dragon Platform API v1");
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "Dragon Platform API";
            // The Authorize button signs a person in through the platform's own login page, as the portal does.
            options.OAuthClientId(FirstPartyClients.ApiExplorer);
            options.OAuthUsePkce();
            options.OAuthScopes("openid", "roles", "profile", "email");
            options.OAuthAppName("Dragon API explorer");
        });
        return app;
    }
}
