using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>Marks which permission a route requires, for authorization and for the OpenAPI document.</summary>
public sealed record PermissionMetadata(string Permission);

/// <summary>Marks a route that anyone may call (API.md lists them); everything else requires a permission.</summary>
public sealed record PublicRouteMetadata;

public static class PermissionEndpoints
{
    public const string OpenApiPermission = "x-dragon-permission";
    public const string OpenApiPublic = "x-dragon-public";

    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(AuthorizationSetup.PolicyName(permission)).WithMetadata(new PermissionMetadata(permission));

    public static TBuilder AllowAnyone<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AllowAnonymous().WithMetadata(new PublicRouteMetadata());

    /// <summary>Writes each route's permission (or that it is public) into the OpenAPI document.</summary>
    public static OpenApiOptions AddPermissionExtensions(this OpenApiOptions options) =>
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            if (metadata.OfType<PermissionMetadata>().LastOrDefault() is { } permission)
            {
                operation.Extensions[OpenApiPermission] = new JsonNodeExtension(permission.Permission);
            }
            if (metadata.OfType<PublicRouteMetadata>().Any())
            {
                operation.Extensions[OpenApiPublic] = new JsonNodeExtension(true);
            }
            return Task.CompletedTask;
        });
}
