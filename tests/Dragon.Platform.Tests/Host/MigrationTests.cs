using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Tests.Host;

public sealed class MigrationTests
{
    /// <summary>Each provider's migrations assembly holds a migration for every change to the model.</summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "Data Source=unused.db")]
    [InlineData(DatabaseProvider.PostgreSql, "Host=unused;Database=unused")]
    [InlineData(DatabaseProvider.SqlServer, "Server=unused;Database=unused")]
    public void Migrations_CoverTheWholeModel(DatabaseProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<DragonDbContext>();
        options.UseDragonDatabase(provider, connectionString);
        using var db = new DragonDbContext(options.Options);

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), $"The {provider} model has changes without a migration: run dotnet ef migrations add.");
    }
}
