using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Node.Cli;

namespace Dragon.Node.State;

/// <summary>
/// The node's state folder: <c>state.json</c> (platform, node id, client id, the sealed client secret, published
/// cohorts) and, unless the key comes from the environment, <c>state.key</c>. On Unix the folder is mode 700 and
/// every file 600; a folder others can read is refused, as ssh refuses a readable private key.
/// </summary>
public sealed class StateFolder
{
    public const string StateFileName = "state.json";
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private StateFolder(string path) => Path = path;

    public string Path { get; }

    /// <summary>Makes a folder for a node that is about to enroll (or takes an empty one), owner-only.</summary>
    /// <exception cref="NodeException">The folder already holds a node's state.</exception>
    public static StateFolder Create(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (File.Exists(System.IO.Path.Combine(full, StateFileName)))
        {
            throw new NodeException($"{full} already holds an enrolled node's state; enroll into a new, empty state folder.");
        }
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
        }
        else
        {
            Directory.CreateDirectory(full, FolderMode);
            File.SetUnixFileMode(full, FolderMode);
        }
        return new StateFolder(full);
    }

    /// <summary>Opens the folder of an enrolled node.</summary>
    /// <exception cref="NodeException">No state there, or the folder is open to other users.</exception>
    public static StateFolder Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(System.IO.Path.Combine(full, StateFileName)))
        {
            throw new NodeException($"{full} holds no node state; run 'enroll' with --state {path} first.");
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(full) & GroupOrOther) != 0)
        {
            throw new NodeException($"{full} is open to other users of this machine; restrict it with 'chmod 700 {full}' and try again.");
        }
        return new StateFolder(full);
    }

    /// <exception cref="NodeException">The state file is not valid.</exception>
    public NodeState ReadState()
    {
        var text = ReadFile(StateFileName) ?? throw new NodeException($"{Path} holds no {StateFileName}.");
        try
        {
            return JsonSerializer.Deserialize<NodeState>(text, DragonJson.Options)
                ?? throw new NodeException($"{StateFileName} in {Path} is empty.");
        }
        catch (JsonException exception)
        {
            throw new NodeException($"{StateFileName} in {Path} is not valid: {exception.Message}", exception);
        }
    }

    public void WriteState(NodeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        WriteFile(StateFileName, JsonSerializer.Serialize(state, DragonJson.Options));
    }

    /// <summary>The client secret in plaintext, for the token request only.</summary>
    public string OpenSecret(NodeState state, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(state);
        var key = StateKey.OpenFor(this, state.ClientSecret.KeySource, environment);
        return SecretSeal.Open(state.ClientSecret, state.ClientId, key);
    }

    /// <summary>A JSON file of the folder, or null when there is none.</summary>
    /// <exception cref="NodeException">The file is not valid JSON of that shape.</exception>
    public T? ReadJson<T>(string name) where T : class
    {
        var text = ReadFile(name);
        try
        {
            return text is null ? null : JsonSerializer.Deserialize<T>(text, DragonJson.Options) ?? throw new NodeException($"{name} in {Path} is empty.");
        }
        catch (JsonException exception)
        {
            throw new NodeException($"{name} in {Path} is not valid: {exception.Message}", exception);
        }
    }

    /// <summary>Replaces a JSON file atomically, owner-only (see <see cref="WriteFile"/>).</summary>
    public void WriteJson<T>(string name, T value) => WriteFile(name, JsonSerializer.Serialize(value, DragonJson.Options));

    /// <summary>The text of a file in the folder, or null when there is none.</summary>
    public string? ReadFile(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>Replaces a file atomically (write beside it, then rename), created owner-only.</summary>
    /// <exception cref="StateWriteException">The file could not be written (the disk is full, for one); the old file is left as it was.</exception>
    public void WriteFile(string name, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(text);
        var target = System.IO.Path.Combine(Path, name);
        var temporary = target + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerFileMode;
        }
        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, OwnerFileMode);
            }
            File.Move(temporary, target, overwrite: true);
        }
        // A full disk fails the write with IOException (ENOSPC); a file past the file system's or the process's size
        // limit with ArgumentOutOfRangeException (EFBIG).
        catch (Exception exception) when (exception is IOException or ArgumentOutOfRangeException)
        {
            RemoveIfPossible(temporary);
            throw new StateWriteException($"Cannot write {name} to the state folder {Path} ({exception.Message}); {name} is as it was before. Free space on that disk, then start the agent (or run the command) again.", exception);
        }
    }

    /// <summary>Removes a half-written file; when even that fails, it stays beside the intact one and the next write replaces it.</summary>
    private static void RemoveIfPossible(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
