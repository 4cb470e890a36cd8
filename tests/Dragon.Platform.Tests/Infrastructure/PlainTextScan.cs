using System.Data.Common;
using System.Text;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Infrastructure;

/// <summary>
/// Reads every row of every table in the host's database (Hangfire's and OpenIddict's too) and reports where any of
/// the given texts appears in clear, in text or in bytes, ignoring case.
/// </summary>
public static class PlainTextScan
{
    public static async Task<List<string>> FindAsync(DragonApiFactory factory, params string[] needles)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DragonDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var found = new List<string>();
        foreach (var table in await TablesAsync(connection, db.Database.IsSqlite()))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var text = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
                    {
                        string s => s,
                        byte[] bytes => Encoding.UTF8.GetString(bytes),
                        _ => null,
                    };
                    foreach (var needle in needles.Where(n => text?.Contains(n, StringComparison.OrdinalIgnoreCase) == true))
                    {
                        found.Add($"{table}.{reader.GetName(i)} holds '{needle}'");
                    }
                }
            }
        }
        return found;
    }

    private static async Task<List<string>> TablesAsync(DbConnection connection, bool sqlite)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sqlite
            ? "SELECT '\"' || name || '\"' FROM sqlite_master WHERE type = 'table'"
            : "SELECT '\"' || table_schema || '\".\"' || table_name || '\"' FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')";
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }
        return tables;
    }
}
