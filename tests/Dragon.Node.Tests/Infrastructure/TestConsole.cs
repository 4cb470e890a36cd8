using System.Globalization;
using System.Text;
using Dragon.Node.Cli;

namespace Dragon.Node.Tests.Infrastructure;

/// <summary>A <see cref="NodeConsole"/> that records what a command wrote, with an environment of the test's choosing.</summary>
public sealed class TestConsole
{
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    public TestConsole(Func<HttpMessageHandler> handler, IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = environment ?? new Dictionary<string, string>();
        Console = new NodeConsole(new StringWriter(_out, CultureInfo.InvariantCulture), new StringWriter(_error, CultureInfo.InvariantCulture), name => variables.TryGetValue(name, out var value) ? value : null, handler);
    }

    public NodeConsole Console { get; }

    public string Out => _out.ToString();

    public string Error => _error.ToString();

    /// <summary>The last line written to standard output: a command's result.</summary>
    public string Result => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

    public static TestConsole Offline(IReadOnlyDictionary<string, string>? environment = null) =>
        new(() => throw new InvalidOperationException("This test does not reach a platform."), environment);
}
