using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

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

    /// <summary>Pseudonyms differing only in case are two patients on every database, SQL Server's case-blind default included.</summary>
    [Theory]
    [InlineData(typeof(Dragon.Platform.Consent.ConsentRecord))]
    [InlineData(typeof(Dragon.Platform.Consent.LinkCode))]
    [InlineData(typeof(Dragon.Platform.Consent.PatientLink))]
    public void SqlServer_ComparesSubjectRefsCaseSensitively(Type entity)
    {
        var options = new DbContextOptionsBuilder<DragonDbContext>();
        options.UseDragonDatabase(DatabaseProvider.SqlServer, "Server=unused;Database=unused");
        using var db = new DragonDbContext(options.Options);

        var model = db.GetService<Microsoft.EntityFrameworkCore.Metadata.IDesignTimeModel>().Model;
        var collation = model.FindEntityType(entity)!.FindProperty("SubjectRef")!.GetCollation();

        Assert.Equal("Latin1_General_100_BIN2", collation);
    }
}
