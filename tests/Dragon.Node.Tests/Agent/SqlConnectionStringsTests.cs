using Dragon.Node.Agent;
using Dragon.Node.Cli;
using Dragon.Node.State;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Agent;

public sealed class SqlConnectionStringsTests : IDisposable
{
    private const string Secret = "s3cr3t-pa55";
    private readonly TempFolder _temp = new();
    private readonly StateFolder _folder;

    public SqlConnectionStringsTests() => _folder = StateFolder.Create(_temp.Combine("state"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void For_VariableSet_TakesTheVariableOverTheFile()
    {
        _folder.WriteFile("connection-postgresql.txt", "Host=file-db;Username=node");

        var connectionString = SqlConnectionStrings.For("postgresql", _folder, Environment(("DRAGON_NODE_CONNECTION_POSTGRESQL", "Host=env-db;Username=node")));

        Assert.Equal("Host=env-db;Username=node", connectionString);
    }

    [Fact]
    public void For_OnlyTheFile_TakesTheFileTrimmed()
    {
        _folder.WriteFile("connection-sqlite.txt", "Data Source=/srv/hospital.db\n");

        Assert.Equal("Data Source=/srv/hospital.db", SqlConnectionStrings.For("sqlite", _folder, Environment()));
    }

    [Fact]
    public void For_Neither_FailsNamingBothPlaces()
    {
        var failure = Assert.Throws<NodeException>(() => SqlConnectionStrings.For("postgresql", _folder, Environment()));

        Assert.Contains("DRAGON_NODE_CONNECTION_POSTGRESQL", failure.Message, StringComparison.Ordinal);
        Assert.Contains("connection-postgresql.txt", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql", "Host=db;Password=" + Secret + ";Bogus Keyword=" + Secret)]
    [InlineData("postgresql", "Host=db;Password=" + Secret + ";Port=" + Secret)]
    [InlineData("sqlite", "Data Source=a.db;Password=" + Secret + ";Nonsense=" + Secret)]
    public void For_NotAValidConnectionString_FailsWithoutShowingIt(string provider, string connectionString)
    {
        var failure = Assert.Throws<NodeException>(() =>
            SqlConnectionStrings.For(provider, _folder, Environment((SqlConnectionStrings.VariableOf(provider), connectionString))));

        Assert.Contains(SqlConnectionStrings.VariableOf(provider), failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, failure.Message, StringComparison.Ordinal);
        Assert.Null(failure.InnerException);
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();
}
