using System.Text.Json;
using Dragon.Contracts.Common;

namespace Dragon.Researcher;

/// <summary>
/// What <c>dragon login</c> keeps between commands: the platform's address and the tokens, in a file only its owner can
/// read (<c>~/.config/dragon/session.json</c> unless <c>--session</c> says otherwise).
/// </summary>
public sealed record ResearcherSession(Uri Platform, string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt)
{
    public static string DefaultPath() =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } config ? config
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "dragon", "session.json");

    public static ResearcherSession Read(string path) =>
        File.Exists(path)
            ? JsonSerializer.Deserialize<ResearcherSession>(File.ReadAllText(path), DragonJson.Options) ?? throw new ResearcherException($"{path} is empty; run 'dragon login' again.")
            : throw new ResearcherException($"Not signed in ({path} does not exist): run 'dragon login --platform URL' first.");

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var file = new FileStream(path, options);
        JsonSerializer.Serialize(file, this, DragonJson.Options);
    }
}

/// <summary>A command could not do its work; <c>dragon</c> prints the message and exits with 1.</summary>
public sealed class ResearcherException(string message) : Exception(message);
