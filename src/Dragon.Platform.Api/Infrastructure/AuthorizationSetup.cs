using Dragon.Platform.Identity;
using Dragon.Platform.Nodes;
using Dragon.Platform.Policies;
using Microsoft.AspNetCore.Authorization;
using OpenIddict.Validation.AspNetCore;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>
/// One authorization policy per named permission, built from <c>policies/permissions.json</c>: the caller's
/// token must carry a role that holds the permission, and a partner node must be active right now.
/// </summary>
public static class AuthorizationSetup
{
    public static string PolicyName(string permission) => $"permission:{permission}";

    public static WebApplicationBuilder AddDragonAuthorization(this WebApplicationBuilder builder)
    {
        var policies = builder.Configuration.GetSection(PolicyOptions.Section).Get<PolicyOptions>() ?? new PolicyOptions();
        var matrix = PermissionMatrix.Load(policies.ResolveDirectory());
        builder.Services.AddSingleton(matrix);
        builder.Services.AddScoped<IAuthorizationHandler, ActiveNodeHandler>();
        builder.Services.AddAuthorization(options =>
        {
            foreach (var permission in Permissions.All)
            {
                options.AddPolicy(PolicyName(permission), policy => policy
                    .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                    .RequireAuthenticatedUser()
                    .RequireRole(matrix.RolesFor(permission))
                    .AddRequirements(new ActiveNodeRequirement()));
            }
        });
        return builder;
    }

    public sealed class ActiveNodeRequirement : IAuthorizationRequirement;

    /// <summary>Refuses a pending or suspended node even while its token has not expired.</summary>
    private sealed class ActiveNodeHandler(NodeRegistry nodes) : AuthorizationHandler<ActiveNodeRequirement>
    {
        protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ActiveNodeRequirement requirement)
        {
            if (context.User.NodeId() is not { } nodeId || await nodes.IsActiveAsync(nodeId, CancellationToken.None))
            {
                context.Succeed(requirement);
            }
        }
    }
}
