using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Persistence;

/// <summary>Points a <see cref="DragonDbContext"/> at one of the three supported databases.</summary>
public static class DatabaseSetup
{
    /// <summary>Each provider keeps its migrations in its own assembly under <c>migrations/</c>.</summary>
    public static string MigrationsAssembly(DatabaseProvider provider) => $"Dragon.Migrations.{provider}";

    public static DbContextOptionsBuilder UseDragonDatabase(
        this DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var migrations = MigrationsAssembly(provider);
        return provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(migrations)).AddInterceptors(SqliteBusyWait.Instance),
            DatabaseProvider.PostgreSql => options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(migrations)),
            DatabaseProvider.SqlServer => options.UseSqlServer(connectionString, sql => sql.MigrationsAssembly(migrations)),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
        };
    }

    /// <summary>
    /// Makes a relative SQLite file path absolute under <paramref name="contentRoot"/> and creates its folder,
    /// so that the default <c>data/dragon.db</c> works from a fresh clone.
    /// </summary>
    public static string PrepareSqliteConnectionString(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } dataSource
            && dataSource != ":memory:"
            && builder.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.GetFullPath(dataSource, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }
        return builder.ToString();
    }
}
