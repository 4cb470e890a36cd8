using System.Data.Common;
using Dragon.Node.Cli;

namespace Dragon.Node.Data;

/// <summary>The ADO.NET providers a SQL-table data source can use, by the name an administrator writes.</summary>
public static class SqlProviders
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";

    /// <exception cref="NodeException">An unknown provider name.</exception>
    public static DbProviderFactory Get(string name) => name.ToUpperInvariant() switch
    {
        "SQLITE" => Microsoft.Data.Sqlite.SqliteFactory.Instance,
        "POSTGRESQL" or "POSTGRES" => Npgsql.NpgsqlFactory.Instance,
        _ => throw new NodeException($"Unknown database provider '{name}'; use {Sqlite} or {PostgreSql}."),
    };
}
