using System.Net;
using Dragon.Node.Cli;

namespace Dragon.Node.Platform;

/// <summary>The platform refused a request; the message carries its problem+json title, detail and field errors.</summary>
public sealed class PlatformException(HttpStatusCode status, string message, IReadOnlyDictionary<string, string[]>? errors = null)
    : NodeException(message)
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The problem's validation errors by field (<c>consents[3].status</c>), empty when it had none.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();
}
