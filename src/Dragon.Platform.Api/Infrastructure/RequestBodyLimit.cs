using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Dragon.Platform.Api.Infrastructure;

/// <summary>
/// Caps request bodies: the route's own limit (<see cref="IRequestSizeLimitMetadata"/>) or the API default.
/// Kestrel enforces the limit while reading; a declared length over it is refused before any reading.
/// </summary>
internal static class RequestBodyLimit
{
    public const long DefaultBytes = 1024 * 1024;

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app, long defaultBytes) =>
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? defaultBytes;
            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = limit;
            }
            if (context.Request.ContentLength > limit)
            {
                throw new BadHttpRequestException(
                    $"The body is {context.Request.ContentLength} bytes; this route accepts at most {limit}.",
                    StatusCodes.Status413PayloadTooLarge);
            }
            await next(context);
        });
}
