using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Dragon.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the model for this provider without a running host or server.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<DragonDbContext>
{
    public DragonDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<DragonDbContext>();
        options.UseDragonDatabase(DatabaseProvider.Sqlite, "Data Source=design-time.db");
        return new DragonDbContext(options.Options);
    }
}
