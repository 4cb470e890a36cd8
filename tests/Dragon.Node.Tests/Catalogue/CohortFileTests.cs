using Dragon.Node.Catalogue;
using Dragon.Node.Cli;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Catalogue;

public sealed class CohortFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_CamelCaseJson_ReadsTheCohort()
    {
        var cohort = CohortFile.Read(_temp.File("cohort.json",
            """{ "name": "CT", "size": 3, "variables": [{ "name": "age", "label": "Age", "type": "integer" }] }"""));

        Assert.Equal("CT", cohort.Name);
        Assert.Equal(3, cohort.Size);
        Assert.Equal("integer", Assert.Single(cohort.Variables!).Type);
    }

    [Theory]
    [InlineData("""{ "size": 3 }""", "must give the cohort a \"name\"")]
    [InlineData("{ name: ", "is not a valid cohort description")]
    public void Read_Unusable_Throws(string text, string message) =>
        Assert.Contains(message, Assert.Throws<NodeException>(() => CohortFile.Read(_temp.File("cohort.json", text))).Message, StringComparison.Ordinal);
}
