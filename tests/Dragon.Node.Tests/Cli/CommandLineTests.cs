using Dragon.Node.Cli;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Cli;

public sealed class CommandLineTests
{
    [Fact]
    public void Parse_CommandWithOptions_ReadsEachValue()
    {
        var line = CommandLine.Parse(["link-code", "--state", "/srv/node", "--subject", "pt-1"]);

        Assert.Equal("link-code", line.Command);
        Assert.Equal("/srv/node", line.Required("state"));
        Assert.Equal("pt-1", line.Optional("subject"));
        Assert.Null(line.Optional("cohort"));
    }

    [Theory]
    [InlineData(new[] { "--state", "x" }, "Name a command first.")]
    [InlineData(new[] { "consent", "--state" }, "The option --state needs a value.")]
    [InlineData(new[] { "consent", "--state", "--file", "x" }, "The option --state needs a value.")]
    [InlineData(new[] { "consent", "state", "x" }, "Expected an option such as --state, found 'state'.")]
    public void Parse_Malformed_ThrowsUsage(string[] args, string message) =>
        Assert.Equal(message, Assert.Throws<UsageException>(() => CommandLine.Parse(args)).Message);

    [Fact]
    public void Parse_AFlag_TakesNoValue_AndWordsBeforeTheOptionsAreKept()
    {
        var run = CommandLine.Parse(["run", "--trust-platform-roster", "--state", "x"]);
        var peers = CommandLine.Parse(["peers", "trust", "sha256:ab", "--state", "x"], words: 2);

        Assert.True(run.Flag("trust-platform-roster"));
        Assert.Equal("x", run.Required("state"));
        Assert.False(peers.Flag("trust-platform-roster"));
        Assert.Equal(["trust", "sha256:ab"], peers.Words);
        Assert.Equal("x", peers.Required("state"));
    }

    [Fact]
    public void Required_WhenMissingOrRepeated_ThrowsUsage()
    {
        var line = CommandLine.Parse(["consent", "--file", "a.csv", "--file", "b.csv"]);

        Assert.Equal("consent needs --state.", Assert.Throws<UsageException>(() => line.Required("state")).Message);
        Assert.Equal("--file may be given only once.", Assert.Throws<UsageException>(() => line.Required("file")).Message);
    }

    [Fact]
    public async Task Run_UnknownCommandOrOption_ExitsWithUsage()
    {
        var unknown = TestConsole.Offline();
        var typo = TestConsole.Offline();

        Assert.Equal(NodeCli.BadUsage, await NodeCli.RunAsync(["serve", "--state", "x"], unknown.Console));
        Assert.Equal(NodeCli.BadUsage, await NodeCli.RunAsync(["consent", "--state", "x", "--fiel", "c.csv"], typo.Console));
        Assert.Contains("Unknown command 'serve'.", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("consent does not take --fiel", typo.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithoutData_ExitsWithUsage()
    {
        var console = TestConsole.Offline();

        Assert.Equal(NodeCli.BadUsage, await NodeCli.RunAsync(["run", "--state", "x"], console.Console));
        Assert.Contains("run needs at least one --data COHORT_ID=FILE.csv or --data-table COHORT_ID=PROVIDER:TABLE.", console.Error, StringComparison.Ordinal);
    }
}
