using Dragon.Node.Cli;
using Dragon.Node.Data;
using Dragon.Node.State;

namespace Dragon.Node.Agent;

/// <summary>
/// The connection string of each database provider <c>run</c> reads tables from: the environment variable
/// <c>DRAGON_NODE_CONNECTION_{PROVIDER}</c> when set, otherwise the file <c>connection-{provider}.txt</c> in the
/// (owner-only) state folder. Connection strings may hold passwords: they never come from the command line and no
/// message ever shows one.
/// </summary>
public static class SqlConnectionStrings
{
    public static string VariableOf(string provider) => $"DRAGON_NODE_CONNECTION_{provider.ToUpperInvariant()}";

    public static string FileNameOf(string provider) => $"connection-{provider}.txt";

    /// <param name="provider">A canonical provider name (<see cref="SqlProviders"/>).</param>
    /// <exception cref="NodeException">Neither place holds a connection string, or it is not one the provider can read.</exception>
    public static string For(string provider, StateFolder folder, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(environment);
        var (text, source) = environment(VariableOf(provider)) is { } variable && !string.IsNullOrWhiteSpace(variable)
            ? (variable, VariableOf(provider))
            : (folder.ReadFile(FileNameOf(provider)), System.IO.Path.Combine(folder.Path, FileNameOf(provider)));
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new NodeException($"--data-table reads from {provider}, but no connection string is set: put it in the environment variable " +
                $"{VariableOf(provider)} or in the file {FileNameOf(provider)} of the state folder (mode 600).");
        }
        var connectionString = text.Trim();
        try
        {
            SqlProviders.Get(provider).CreateConnectionStringBuilder()!.ConnectionString = connectionString;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new NodeException($"The {provider} connection string in {source} is not valid ({exception.GetType().Name}); check its keywords and values.");
        }
        return connectionString;
    }
}
