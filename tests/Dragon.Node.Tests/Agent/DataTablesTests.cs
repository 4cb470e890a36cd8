using Dragon.Node.Agent;
using Dragon.Node.Cli;

namespace Dragon.Node.Tests.Agent;

public sealed class DataTablesTests
{
    private const string Cohort = "5b0c6f3e-1f7a-4d8e-9a51-3f2c7e0d9b11";

    [Theory]
    [InlineData("sqlite:cohort_data", "sqlite", "cohort_data")]
    [InlineData("PostgreSQL:research.covid_ct", "postgresql", "research.covid_ct")]
    [InlineData("postgres:covid_ct", "postgresql", "covid_ct")]
    public void Parse_CohortEqualsProviderColonTable_MapsTheCohortToItsTable(string value, string provider, string table)
    {
        var tables = DataTables.Parse([$"{Cohort}={value}"]);

        Assert.Equal(new DataTable(provider, table), tables[Guid.Parse(Cohort)]);
    }

    [Theory]
    [InlineData("sqlite:cohort_data")]
    [InlineData("not-a-guid=sqlite:cohort_data")]
    [InlineData(Cohort + "=cohort_data")]
    [InlineData(Cohort + "=:cohort_data")]
    [InlineData(Cohort + "=sqlite:")]
    [InlineData(Cohort + "=oracle:cohort_data")]
    [InlineData(Cohort + "=Host=db;Password=secret")]
    [InlineData(Cohort + "=postgresql:Host=db;Password=secret")]
    [InlineData(Cohort + "=secret:cohort_data")]
    public void Parse_NotCohortEqualsProviderColonTable_IsAUsageErrorThatDoesNotRepeatIt(string value)
    {
        var error = Assert.Throws<UsageException>(() => DataTables.Parse([value]));

        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ACohortTwice_IsAUsageError() =>
        Assert.Throws<UsageException>(() => DataTables.Parse([$"{Cohort}=sqlite:a", $"{Cohort}=postgresql:b"]));
}
