using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Dragon.Migrations.PostgreSql;

/// <summary>Lets <c>dotnet ef</c> build the model for this provider without a running host or server.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<DragonDbContext>
{
    public DragonDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<DragonDbContext>();
        options.UseDragonDatabase(DatabaseProvider.PostgreSql, "Host=localhost;Database=dragon_design;Username=dragon;Password=design-time-only");
        return new DragonDbContext(options.Options);
    }
}
