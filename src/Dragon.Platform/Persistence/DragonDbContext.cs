using Dragon.Platform.BackgroundWork;
using Dragon.Platform.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Persistence;

public sealed class DragonDbContext(DbContextOptions<DragonDbContext> options) : DbContext(options)
{
    public DbSet<Cohort> Cohorts => Set<Cohort>();
    public DbSet<CohortSteward> CohortStewards => Set<CohortSteward>();
    public DbSet<WorkItem> WorkItems => Set<WorkItem>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        if (Database.IsSqlite())
        {
            // SQLite has no date type; UTC ticks keep full precision and let range filters and ordering run in SQL.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DragonDbContext).Assembly);
    }
}
