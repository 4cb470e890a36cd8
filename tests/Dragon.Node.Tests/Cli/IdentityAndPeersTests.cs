using System.Text.Json;
using Dragon.Contracts.Nodes;
using Dragon.Node.Cli;
using Dragon.Node.State;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Cli;

/// <summary><c>enroll</c> makes the identity key, <c>identity</c> prints its fingerprint, <c>peers</c> pins the others'; against a <see cref="PlatformDouble"/>.</summary>
public sealed class IdentityAndPeersTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly PlatformDouble _platform = new();

    public void Dispose()
    {
        _platform.Dispose();
        _temp.Dispose();
    }

    private string State => _temp.Combine("state");

    [Fact]
    public async Task Enroll_RegistersTheIdentityKey_AndIdentityPrintsItsFingerprint()
    {
        await EnrollAsync();

        var identity = await CliAsync("identity", "--state", State);

        var registered = Convert.FromBase64String(_platform.IdentityKey!);
        Assert.True(IdentityKeys.IsValid(registered));
        Assert.Equal(IdentityKeys.Fingerprint(registered), identity.Result);
        Assert.Matches("^sha256:[0-9a-f]{64}$", identity.Result);
    }

    [Fact]
    public async Task IdentityFile_HoldsThePrivateKeySealed_OwnerOnly_AndOpensOnlyWithTheStateKey()
    {
        await EnrollAsync();
        var path = Path.Combine(State, NodeIdentity.FileName);
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var folder = StateFolder.Open(State);
        var state = folder.ReadState();

        var sealedKey = file.RootElement.GetProperty("privateKey");
        Assert.Equal(["keySource", "nonce", "ciphertext", "tag"], sealedKey.EnumerateObject().Select(p => p.Name));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        using var opened = NodeIdentity.Open(folder, state, _ => null);
        Assert.Equal(Convert.FromBase64String(_platform.IdentityKey!), opened.PublicKey);
        await File.WriteAllTextAsync(Path.Combine(State, StateKey.FileName), Convert.ToBase64String(new byte[32]));
        Assert.Throws<NodeException>(() => NodeIdentity.Open(folder, state, _ => null));
    }

    [Fact]
    public async Task PeersTrust_KeepsTheFingerprintInItsOneForm_AndListShowsIt()
    {
        await EnrollAsync();
        var hex = new string('a', 32) + new string('0', 32);
        var typed = "SHA256:" + string.Join(':', Enumerable.Range(0, 16).Select(i => hex.Substring(i * 4, 4).ToUpperInvariant()));

        var trusted = await CliAsync("peers", "trust", typed, "--name", "UMC Utrecht", "--state", State);
        var list = await CliAsync("peers", "list", "--state", State);

        Assert.Equal("sha256:" + hex, trusted.Result);
        Assert.StartsWith($"sha256:{hex}\tUMC Utrecht\t", list.Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeersDistrust_RemovesAPin_AndRefusesOneThatIsNotThere()
    {
        await EnrollAsync();
        var fingerprint = "sha256:" + new string('b', 64);
        await CliAsync("peers", "trust", fingerprint, "--state", State);

        await CliAsync("peers", "distrust", fingerprint, "--state", State);
        var again = new TestConsole(() => _platform);
        var code = await NodeCli.RunAsync(["peers", "distrust", fingerprint, "--state", State], again.Console);
        var list = await CliAsync("peers", "list", "--state", State);

        Assert.Equal(NodeCli.Failed, code);
        Assert.Contains("is not a trusted peer", again.Error, StringComparison.Ordinal);
        Assert.Equal("", list.Out);
    }

    [Theory]
    [InlineData("sha256:1234")]
    [InlineData("not a fingerprint")]
    [InlineData("")]
    public async Task PeersTrust_SomethingThatIsNotAFingerprint_IsAUsageError(string text)
    {
        await EnrollAsync();
        var console = new TestConsole(() => _platform);

        var code = await NodeCli.RunAsync(["peers", "trust", text, "--state", State], console.Console);

        Assert.Equal(NodeCli.BadUsage, code);
        Assert.Null(StateFolderFile("peers.json"));
    }

    [Fact]
    public async Task Run_WithTrustPlatformRoster_WarnsAtStart()
    {
        await EnrollAsync();
        var console = new TestConsole(() => _platform);
        using var stop = new CancellationTokenSource();
        var data = _temp.File("data.csv", "subject_ref,age\npt-1,40\n");

        var run = NodeCli.RunAsync(["run", "--state", State, "--data", $"{Guid.NewGuid()}={data}", "--poll-seconds", "0.1", "--trust-platform-roster"], console.Console, stop.Token);
        while (!console.Error.Contains("Stop with Ctrl+C", StringComparison.Ordinal) && !run.IsCompleted)
        {
            await Task.Delay(20);
        }
        await stop.CancelAsync();

        Assert.Equal(NodeCli.Succeeded, await run);
        Assert.Contains("WARNING: --trust-platform-roster", console.Error, StringComparison.Ordinal);
    }

    private string? StateFolderFile(string name) => File.Exists(Path.Combine(State, name)) ? File.ReadAllText(Path.Combine(State, name)) : null;

    private Task<TestConsole> EnrollAsync() => CliAsync("enroll", "--platform", PlatformDouble.Address.ToString(), "--token", "token", "--name", "Radboud CT node",
        "--organisation", "Radboud UMC", "--country", "NL", "--contact-email", "it@radboud.test", "--state", State);

    private async Task<TestConsole> CliAsync(params string[] args)
    {
        var console = new TestConsole(() => _platform);
        var code = await NodeCli.RunAsync(args, console.Console);
        Assert.True(code == NodeCli.Succeeded, $"{args[0]}: {console.Error}");
        return console;
    }
}
