using System.Text.Json;

namespace Dragon.Platform.Policies;

/// <summary>Reads one policy file; a missing or malformed file stops start-up with a code naming the file.</summary>
public static class PolicyFile
{
    /// <param name="code">The policy's part of the error code, such as <c>data_use</c> in <c>policy.data_use.missing</c>.</param>
    public static T Load<T>(string directory, string fileName, string code, Func<JsonElement, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            throw new PolicyException($"policy.{code}.missing: {path} does not exist.");
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return read(document.RootElement);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new PolicyException($"policy.{code}.malformed: {path}: {exception.Message}", exception);
        }
    }
}
