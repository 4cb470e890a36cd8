using Dragon.Node.Agent;
using Dragon.Node.Cli;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Agent;

public sealed class DataFilesTests : IDisposable
{
    private static readonly Guid Cohort = Guid.Parse("5b0c6f3e-1f7a-4d8e-9a51-3f2c7e0d9b11");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Parse_CohortEqualsFile_MapsTheCohortToTheFullPath()
    {
        var path = _temp.File("a.csv", "subject_ref\n");

        var files = DataFiles.Parse([$"{Cohort}={path}"]);

        Assert.Equal(path, files[Cohort]);
    }

    [Theory]
    [InlineData("a.csv")]
    [InlineData("not-a-guid=a.csv")]
    public void Parse_NotCohortEqualsFile_IsAUsageError(string value) =>
        Assert.Throws<UsageException>(() => DataFiles.Parse([value]));

    [Fact]
    public void Parse_AMissingFile_Fails() =>
        Assert.Throws<NodeException>(() => DataFiles.Parse([$"{Cohort}={_temp.Combine("missing.csv")}"]));
}
