using System.Data.Common;
using Dragon.Node.Cli;

namespace Dragon.Node.Data;

/// <summary>The ADO.NET providers a SQL-table data source can use, by the name an administrator writes.</summary>
public static class SqlProviders
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";

    /// <summary>The provider's name as the node spells it (<see cref="Sqlite"/> or <see cref="PostgreSql"/>), whatever the case or alias given.</summary>
    /// <returns>Null for an unknown provider.</returns>
    public static string? Canonical(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToUpperInvariant() switch
        {
            "SQLITE" => Sqlite,
            "POSTGRESQL" or "POSTGRES" => PostgreSql,
            _ => null,
        };
    }

    /// <exception cref="NodeException">An unknown provider name.</exception>
    public static DbProviderFactory Get(string name) => Canonical(name) switch
    {
        Sqlite => Microsoft.Data.Sqlite.SqliteFactory.Instance,
        PostgreSql => Npgsql.NpgsqlFactory.Instance,
        _ => throw new NodeException($"Unknown database provider '{name}'; use {Sqlite} or {PostgreSql}."),
    };
}
