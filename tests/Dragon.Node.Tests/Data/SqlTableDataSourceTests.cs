using Dragon.Node.Cli;
using Dragon.Node.Data;
using Dragon.Node.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Dragon.Node.Tests.Data;

/// <summary>The SQL-table adapter on real SQLite files, as a hospital's research database would hold the cohort.</summary>
public sealed class SqlTableDataSourceTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _connectionString;

    public SqlTableDataSourceTests()
    {
        _connectionString = $"Data Source={_temp.Combine("hospital.db")}";
        Execute("""
            CREATE TABLE cohort_data (
                subject_ref TEXT NOT NULL, age INTEGER, crp REAL, sex TEXT, icu INTEGER, admitted TEXT, note TEXT)
            """);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Read_GoodRows_TypesSqliteValuesByTheirVariables()
    {
        Execute("""
            INSERT INTO cohort_data VALUES ('pt-1', 64, 12.5, 'male', 1, '2020-03-14', 'ignored');
            INSERT INTO cohort_data VALUES ('pt-2', 41, 7, 'female', 0, '2021-11-02', NULL);
            INSERT INTO cohort_data VALUES ('pt-3', NULL, NULL, NULL, NULL, NULL, NULL);
            """);

        var data = await Source().ReadAsync(CohortVariables.All, CancellationToken.None);

        Assert.True(data.IsComplete, string.Join("; ", data.Problems));
        var first = data.Records[0];
        Assert.Equal(64L, first.Values["age"]);
        Assert.Equal(12.5m, first.Values["crp"]);
        Assert.Equal("male", first.Values["sex"]);
        Assert.Equal(true, first.Values["icu"]);
        Assert.Equal(new DateOnly(2020, 3, 14), first.Values["admitted"]);
        Assert.Equal(7m, data.Records[1].Values["crp"]);
        Assert.Equal(false, data.Records[1].Values["icu"]);
        Assert.All(data.Records[2].Values.Values, Assert.Null);
    }

    [Theory]
    [InlineData("'pt-2', 41.5, 1, 'male', 1, '2020-03-14'", "age: expected a whole number, found 41.5.")]
    [InlineData("'pt-2', 41, 1, 'other', 1, '2020-03-14'", "sex: expected one of female, male, found 'other'.")]
    [InlineData("'pt-2', 41, 1, 'male', 2, '2020-03-14'", "icu: expected true or false, found 2.")]
    [InlineData("'pt-2', 41, 1, 'male', 1, '2020-14-03'", "admitted: expected a date as yyyy-MM-dd, found '2020-14-03'.")]
    [InlineData("'pt-2', 41, X'00', 'male', 1, '2020-03-14'", "crp: expected a number with a '.' decimal point, found a Byte[] value.")]
    public async Task Read_BadRow_LeavesItOutAndReportsItsPosition(string values, string message)
    {
        Execute($"""
            INSERT INTO cohort_data (subject_ref, age, crp, sex, icu, admitted) VALUES ('pt-1', 30, 1, 'female', 0, '2020-01-01');
            INSERT INTO cohort_data (subject_ref, age, crp, sex, icu, admitted) VALUES ({values});
            """);

        var data = await Source().ReadAsync(CohortVariables.All, CancellationToken.None);

        Assert.Equal("pt-1", Assert.Single(data.Records).SubjectRef);
        var problem = Assert.Single(data.Problems);
        Assert.Equal(2, problem.Row);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public async Task Read_MissingTable_ThrowsWithTheDatabasesReason()
    {
        var source = new SqlTableDataSource(SqlProviders.Get(SqlProviders.Sqlite), _connectionString, "no_such_table");

        var failure = await Assert.ThrowsAsync<NodeException>(() => source.ReadAsync(CohortVariables.All, CancellationToken.None));

        Assert.Contains("Reading table no_such_table", failure.Message, StringComparison.Ordinal);
        Assert.Contains("no such table", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cohort_data; DROP TABLE cohort_data")]
    [InlineData("\"cohort_data\"")]
    public void Create_TableNameThatIsNotAnIdentifier_Refuses(string table) =>
        Assert.Throws<NodeException>(() => new SqlTableDataSource(SqlProviders.Get(SqlProviders.Sqlite), _connectionString, table));

    [Theory]
    [InlineData("sqlite", "SqliteFactory")]
    [InlineData("PostgreSQL", "NpgsqlFactory")]
    public void Get_KnownProvider_AnswersItsFactory(string name, string factory) =>
        Assert.Equal(factory, SqlProviders.Get(name).GetType().Name);

    private SqlTableDataSource Source() => new(SqlProviders.Get(SqlProviders.Sqlite), _connectionString, "cohort_data");

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
