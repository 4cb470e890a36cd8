using Dragon.Platform.Persistence;
using Npgsql;

namespace Dragon.Platform.Tests.Infrastructure;

/// <summary>A database that belongs to one test class.</summary>
public sealed class TestDatabase
{
    /// <summary>Set by <c>test.sh</c>, which starts a throw-away PostgreSQL server for the tests.</summary>
    public const string PostgresVariable = "DRAGON_TEST_POSTGRES";

    private TestDatabase(DatabaseProvider provider, string connectionString, DirectoryInfo folder, Action drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Folder = folder;
        _drop = drop;
    }

    private readonly Action _drop;

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Files that belong with this database, as an operator keeps them beside it: the audit signing key and its history.</summary>
    public DirectoryInfo Folder { get; }

    public static TestDatabase Create(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => CreateSqlite(),
        DatabaseProvider.PostgreSql => CreatePostgres(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "No test database for this provider."),
    };

    public void Drop() => _drop();

    private static TestDatabase CreateSqlite()
    {
        var folder = Directory.CreateTempSubdirectory("dragon-tests-");
        var path = Path.Combine(folder.FullName, "dragon.db");
        return new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={path}", folder, () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        });
    }

    private static TestDatabase CreatePostgres()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Run the tests with ./test.sh, which starts PostgreSQL and sets it.");
        }
        var name = $"dragon_test_{Guid.NewGuid():N}";
        Execute(server, $"CREATE DATABASE {name}");
        var database = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ConnectionString;
        var folder = Directory.CreateTempSubdirectory("dragon-tests-");
        return new TestDatabase(DatabaseProvider.PostgreSql, database, folder, () =>
        {
            NpgsqlConnection.ClearAllPools();
            Execute(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            folder.Delete(recursive: true);
        });
    }

    private static void Execute(string server, string sql)
    {
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
