namespace Dragon.Platform.Persistence;

/// <summary>The <c>Database</c> configuration section; the connection string is <c>ConnectionStrings:Dragon</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "Dragon";
    public const string DefaultSqliteConnectionString = "Data Source=data/dragon.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start-up; operators who migrate by hand turn this off.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
