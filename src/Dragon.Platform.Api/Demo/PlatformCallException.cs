namespace Dragon.Platform.Api.Demo;

/// <summary>A REST call of <see cref="PlatformUser"/> that the platform refused: the call, the status and the problem it answered.</summary>
public sealed class PlatformCallException(string call, int status, string problem)
    : Exception($"{call} answered {status}: {problem}")
{
    public int Status { get; } = status;
}
