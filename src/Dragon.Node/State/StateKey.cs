using System.Security.Cryptography;
using Dragon.Node.Cli;

namespace Dragon.Node.State;

/// <summary>
/// The 256-bit key that seals the client secret: from the environment variable <see cref="Variable"/> when it is
/// set (base64 of 32 bytes), otherwise from the owner-only file <see cref="FileName"/> in the state folder.
/// </summary>
public sealed class StateKey
{
    public const string Variable = "DRAGON_NODE_STATE_KEY";
    public const string FileName = "state.key";
    public const string FromEnvironment = "environment";
    public const string FromFile = "file";
    private const int KeyBytes = 32;

    private StateKey(byte[] key, string source)
    {
        Key = key;
        Source = source;
    }

    public byte[] Key { get; }

    /// <summary><see cref="FromEnvironment"/> or <see cref="FromFile"/>.</summary>
    public string Source { get; }

    /// <summary>The key for a new state: the environment's, or a new random key file.</summary>
    /// <exception cref="NodeException">The variable is set but is not base64 of 32 bytes.</exception>
    public static StateKey CreateFor(StateFolder folder, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(environment);
        var fromEnvironment = FromVariable(environment);
        if (fromEnvironment is not null)
        {
            return fromEnvironment;
        }
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        folder.WriteFile(FileName, Convert.ToBase64String(key));
        return new StateKey(key, FromFile);
    }

    /// <summary>The key a sealed secret names as its source.</summary>
    /// <exception cref="NodeException">That key is not available or is malformed.</exception>
    public static StateKey OpenFor(StateFolder folder, string source, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(environment);
        if (source == FromEnvironment)
        {
            return FromVariable(environment)
                ?? throw new NodeException($"The client secret was sealed with the key in {Variable}, which is not set.");
        }
        if (source != FromFile)
        {
            throw new NodeException($"The state names an unknown key source '{source}'.");
        }
        var text = folder.ReadFile(FileName)
            ?? throw new NodeException($"The client secret was sealed with the key file {FileName}, which is missing from {folder.Path}.");
        return new StateKey(Decode(text, $"The key file {FileName}"), FromFile);
    }

    private static StateKey? FromVariable(Func<string, string?> environment)
    {
        var text = environment(Variable);
        return string.IsNullOrWhiteSpace(text) ? null : new StateKey(Decode(text, Variable), FromEnvironment);
    }

    private static byte[] Decode(string text, string what)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException exception)
        {
            throw new NodeException($"{what} must hold base64 of {KeyBytes} random bytes (openssl rand -base64 {KeyBytes}); it is not base64.", exception);
        }
        return key.Length == KeyBytes
            ? key
            : throw new NodeException($"{what} must hold base64 of {KeyBytes} random bytes (openssl rand -base64 {KeyBytes}); it holds {key.Length}.");
    }
}
