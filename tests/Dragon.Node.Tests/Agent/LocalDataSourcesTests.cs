using Dragon.Node.Agent;
using Dragon.Node.Cli;
using Dragon.Node.Data;
using Dragon.Node.State;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Agent;

public sealed class LocalDataSourcesTests : IDisposable
{
    private static readonly Guid First = Guid.Parse("5b0c6f3e-1f7a-4d8e-9a51-3f2c7e0d9b11");
    private static readonly Guid Second = Guid.Parse("8f1c0d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f");
    private readonly TempFolder _temp = new();
    private readonly StateFolder _folder;

    public LocalDataSourcesTests() => _folder = StateFolder.Create(_temp.Combine("state"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Open_FilesAndTables_ReadsEachCohortFromItsOwnSource()
    {
        _folder.WriteFile(SqlConnectionStrings.FileNameOf("sqlite"), $"Data Source={_temp.Combine("hospital.db")}");

        var sources = LocalDataSources.Open(
            new Dictionary<Guid, string> { [First] = "/data/a.csv" }, new Dictionary<Guid, DataTable> { [Second] = new("sqlite", "covid_ct") }, _folder, _ => null);

        Assert.Equal("/data/a.csv", Assert.IsType<CsvDataSource>(sources[First]).Description);
        Assert.Equal("table covid_ct", Assert.IsType<SqlTableDataSource>(sources[Second]).Description);
    }

    [Fact]
    public void Open_ACohortWithAFileAndATable_IsAUsageError() =>
        Assert.Throws<UsageException>(() => LocalDataSources.Open(
            new Dictionary<Guid, string> { [First] = "/data/a.csv" }, new Dictionary<Guid, DataTable> { [First] = new("sqlite", "covid_ct") }, _folder, _ => null));

    [Fact]
    public void Open_ATableWithoutAConnectionString_Fails() =>
        Assert.Throws<NodeException>(() => LocalDataSources.Open(
            new Dictionary<Guid, string>(), new Dictionary<Guid, DataTable> { [First] = new("postgresql", "covid_ct") }, _folder, _ => null));
}
