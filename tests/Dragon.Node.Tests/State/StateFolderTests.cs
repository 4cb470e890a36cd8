using Dragon.Node.Cli;
using Dragon.Node.State;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.State;

public sealed class StateFolderTests : IDisposable
{
    private const string Secret = "client-secret-that-must-not-appear-on-disk";
    private const string ClientId = "node-7d1c";
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Create_OnUnix_MakesAnOwnerOnlyFolderAndFiles()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var folder = Enroll(_temp.Combine("state"), NoEnvironment);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder.Path));
        foreach (var file in new[] { StateFolder.StateFileName, StateKey.FileName })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder.Path, file)));
        }
    }

    [Fact]
    public void WriteFile_OnAFullDisk_ThrowsStateWriteException_AndKeepsTheFileAsItWas()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var folder = Enroll(_temp.Combine("state"), NoEnvironment);
        var path = Path.Combine(folder.Path, StateFolder.StateFileName);
        var before = File.ReadAllBytes(path);
        // The write goes to the file beside the target first; made a link to /dev/full, every write to it fails with ENOSPC.
        File.CreateSymbolicLink(path + ".tmp", "/dev/full");

        var exception = Assert.Throws<StateWriteException>(() => folder.WriteFile(StateFolder.StateFileName, "{}"));

        Assert.Contains("Free space on that disk", exception.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(exception.InnerException);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Create_WithKeyFile_StoresTheSecretSealedAndOpensIt()
    {
        var folder = Enroll(_temp.Combine("state"), NoEnvironment);

        var onDisk = File.ReadAllText(Path.Combine(folder.Path, StateFolder.StateFileName));
        Assert.DoesNotContain(Secret, onDisk, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Secret)), onDisk, StringComparison.Ordinal);
        var state = StateFolder.Open(folder.Path).ReadState();
        Assert.Equal(StateKey.FromFile, state.ClientSecret.KeySource);
        Assert.Equal(Secret, folder.OpenSecret(state, NoEnvironment));
    }

    [Fact]
    public void Create_WithEnvironmentKey_WritesNoKeyFileAndNeedsTheVariableToOpen()
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        string? Environment(string name) => name == StateKey.Variable ? key : null;
        var folder = Enroll(_temp.Combine("state"), Environment);
        var state = folder.ReadState();

        Assert.False(File.Exists(Path.Combine(folder.Path, StateKey.FileName)));
        Assert.Equal(Secret, folder.OpenSecret(state, Environment));
        var missing = Assert.Throws<NodeException>(() => folder.OpenSecret(state, NoEnvironment));
        Assert.Contains($"{StateKey.Variable}, which is not set", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenSecret_WithAnotherKeyFile_FailsClearly()
    {
        var folder = Enroll(_temp.Combine("state"), NoEnvironment);
        folder.WriteFile(StateKey.FileName, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

        var failure = Assert.Throws<NodeException>(() => folder.OpenSecret(folder.ReadState(), NoEnvironment));

        Assert.Contains("wrong key, or the state was altered", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bm90LTMyLWJ5dGVz", "it holds 12")]
    [InlineData("***", "it is not base64")]
    public void Create_WithMalformedEnvironmentKey_Refuses(string value, string reason)
    {
        var folder = StateFolder.Create(_temp.Combine("state"));

        var failure = Assert.Throws<NodeException>(() => StateKey.CreateFor(folder, name => name == StateKey.Variable ? value : null));

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WhenAlreadyEnrolled_Refuses()
    {
        var folder = Enroll(_temp.Combine("state"), NoEnvironment);

        var failure = Assert.Throws<NodeException>(() => StateFolder.Create(folder.Path));

        Assert.Contains("already holds an enrolled node's state", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WhenOthersCanReadTheFolder_Refuses()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var folder = Enroll(_temp.Combine("state"), NoEnvironment);
        File.SetUnixFileMode(folder.Path, File.GetUnixFileMode(folder.Path) | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        var failure = Assert.Throws<NodeException>(() => StateFolder.Open(folder.Path));

        Assert.Contains("chmod 700", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WithoutState_SaysToEnrollFirst()
    {
        var failure = Assert.Throws<NodeException>(() => StateFolder.Open(_temp.Combine("nothing")));

        Assert.Contains("run 'enroll'", failure.Message, StringComparison.Ordinal);
    }

    private static StateFolder Enroll(string path, Func<string, string?> environment)
    {
        var folder = StateFolder.Create(path);
        var key = StateKey.CreateFor(folder, environment);
        folder.WriteState(new NodeState(
            new Uri("https://dragon.example.org"),
            Guid.NewGuid(),
            ClientId,
            SecretSeal.Seal(Secret, ClientId, key),
            new Dictionary<string, Guid>()));
        return folder;
    }
}
