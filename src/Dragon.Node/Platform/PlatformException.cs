using System.Net;
using Dragon.Node.Cli;

namespace Dragon.Node.Platform;

/// <summary>The platform refused a request; the message carries its problem+json title, detail and field errors.</summary>
public sealed class PlatformException(HttpStatusCode status, string message) : NodeException(message)
{
    public HttpStatusCode Status { get; } = status;
}
