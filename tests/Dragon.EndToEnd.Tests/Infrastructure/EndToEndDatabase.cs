using Npgsql;

namespace Dragon.EndToEnd.Tests.Infrastructure;

/// <summary>A fresh platform database for one test: a SQLite file, or a database on the PostgreSQL server that <c>test.sh</c> starts.</summary>
public sealed class EndToEndDatabase : IDisposable
{
    public const string PostgresVariable = "DRAGON_TEST_POSTGRES";

    private readonly Action _drop;

    private EndToEndDatabase(string provider, string connectionString, Action drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _drop = drop;
    }

    /// <summary><c>Sqlite</c> or <c>PostgreSql</c>, as <c>Database:Provider</c> names them.</summary>
    public string Provider { get; }

    public string ConnectionString { get; }

    /// <param name="postgresServer">The PostgreSQL server to create the database on; the one <c>test.sh</c> started when absent.</param>
    public static EndToEndDatabase Create(string provider, string folder, string? postgresServer = null) => provider switch
    {
        "Sqlite" => new EndToEndDatabase(provider, $"Data Source={Path.Combine(folder, "dragon.db")}", () => { }),
        "PostgreSql" => CreatePostgres(postgresServer ?? Environment.GetEnvironmentVariable(PostgresVariable)),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Sqlite or PostgreSql."),
    };

    public void Dispose() => _drop();

    /// <summary>Runs <paramref name="sql"/> on the database directly.</summary>
    public void Execute(string sql)
    {
        if (Provider == "PostgreSql")
        {
            Execute(ConnectionString, sql);
            return;
        }
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row <paramref name="sql"/> returns, as a number.</summary>
    public long Count(string sql)
    {
        if (Provider == "PostgreSql")
        {
            using var postgres = new NpgsqlConnection(ConnectionString);
            postgres.Open();
            using var query = new NpgsqlCommand(sql, postgres);
            return Convert.ToInt64(query.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static EndToEndDatabase CreatePostgres(string? server)
    {
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException($"{PostgresVariable} is not set. Run the tests with ./test.sh, which starts PostgreSQL and sets it.");
        }
        var name = $"dragon_e2e_{Guid.NewGuid():N}";
        Execute(server, $"CREATE DATABASE {name}");
        var database = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ConnectionString;
        return new EndToEndDatabase("PostgreSql", database, () => Execute(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }

    private static void Execute(string server, string sql)
    {
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
