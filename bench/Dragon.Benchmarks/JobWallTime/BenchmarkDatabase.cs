using Npgsql;

namespace Dragon.Benchmarks.JobWallTime;

/// <summary>
/// The host's database: SQLite in the run's folder unless <c>DRAGON_BENCH_POSTGRES</c> names a PostgreSQL server (a
/// connection string that may create databases), in which case each host gets a database of its own, dropped after.
/// </summary>
public static class BenchmarkDatabase
{
    public const string PostgresVariable = "DRAGON_BENCH_POSTGRES";

    /// <summary>The connection string of a new PostgreSQL database, or null for SQLite.</summary>
    public static string? Create()
    {
        if (Environment.GetEnvironmentVariable(PostgresVariable) is not { Length: > 0 } server)
        {
            return null;
        }
        var name = $"dragon_bench_{Guid.NewGuid():N}";
        Execute(server, $"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ConnectionString;
    }

    public static void Drop(string? database)
    {
        if (database is null || Environment.GetEnvironmentVariable(PostgresVariable) is not { Length: > 0 } server)
        {
            return;
        }
        Execute(server, $"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(database).Database} WITH (FORCE)");
    }

    private static void Execute(string server, string sql)
    {
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
