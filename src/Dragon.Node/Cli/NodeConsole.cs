namespace Dragon.Node.Cli;

/// <summary>
/// What a command may touch outside its arguments: where it writes, the environment it reads, and the HTTP
/// handler that reaches the platform (tests pass the in-process host's handler; the real agent a socket handler).
/// </summary>
public sealed record NodeConsole(TextWriter Out, TextWriter Error, Func<string, string?> Environment, Func<HttpMessageHandler> Handler)
{
    public static NodeConsole System() => new(
        Console.Out,
        Console.Error,
        global::System.Environment.GetEnvironmentVariable,
        () => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
}
