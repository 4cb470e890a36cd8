using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Dragon.Migrations.SqlServer;

/// <summary>Lets <c>dotnet ef</c> build the model for this provider without a running host or server.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<DragonDbContext>
{
    public DragonDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<DragonDbContext>();
        options.UseDragonDatabase(DatabaseProvider.SqlServer, "Server=localhost;Database=dragon_design;Integrated Security=true;TrustServerCertificate=true");
        return new DragonDbContext(options.Options);
    }
}
