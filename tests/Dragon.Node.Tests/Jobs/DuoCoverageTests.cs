using Dragon.Node.Jobs;

namespace Dragon.Node.Tests.Jobs;

public sealed class DuoCoverageTests
{
    [Theory]
    [InlineData("DUO:0000042", "DUO:0000006", true)]
    [InlineData("DUO:0000004", "DUO:0000007", true)]
    [InlineData("DUO:0000004", "DUO:0000043", true)]
    [InlineData("DUO:0000042", "DUO:0000011", true)]
    [InlineData("DUO:0000006", "DUO:0000006", true)]
    [InlineData("DUO:0000006", "DUO:0000042", false)]
    [InlineData("DUO:0000043", "DUO:0000006", false)]
    [InlineData("DUO:0000011", "DUO:0000006", false)]
    [InlineData("DUO:0000018", "DUO:0000006", false)]
    public void Covers_FollowsTheHierarchy(string permission, string purpose, bool covers) =>
        Assert.Equal(covers, DuoCoverage.Covers([permission], purpose));

    [Fact]
    public void Covers_AModifierAloneCoversNothing() =>
        Assert.False(DuoCoverage.Covers(["DUO:0000019"], "DUO:0000019"));
}
