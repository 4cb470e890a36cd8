using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dragon.Platform.Catalogue;

internal sealed class CohortConfiguration : IEntityTypeConfiguration<Cohort>
{
    public void Configure(EntityTypeBuilder<Cohort> cohort)
    {
        cohort.ToTable("Cohorts");
        cohort.HasKey(c => c.Id);
        cohort.Property(c => c.Name).HasMaxLength(200);
        cohort.Property(c => c.Description).HasMaxLength(4000);
        cohort.Property(c => c.Population).HasMaxLength(1000);
        cohort.Property(c => c.Version).IsConcurrencyToken();
        cohort.HasIndex(c => c.Name);
        cohort.HasIndex(c => c.NodeId);
        cohort.OwnsMany(c => c.Variables, variable =>
        {
            variable.ToTable("CohortVariables");
            variable.WithOwner().HasForeignKey("CohortId");
            variable.Property<int>("Id");
            variable.HasKey("Id");
            variable.Property(v => v.Name).HasMaxLength(63);
            variable.Property(v => v.Label).HasMaxLength(200);
            variable.Property(v => v.Unit).HasMaxLength(50);
            variable.Property(v => v.Type).HasConversion<string>().HasMaxLength(20);
            variable.Property(v => v.Min).HasPrecision(28, 8);
            variable.Property(v => v.Max).HasPrecision(28, 8);
            variable.HasIndex("CohortId", nameof(CohortVariable.Name)).IsUnique();
        });
        cohort.HasMany(c => c.Stewards).WithOne().HasForeignKey(s => s.CohortId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CohortStewardConfiguration : IEntityTypeConfiguration<CohortSteward>
{
    public void Configure(EntityTypeBuilder<CohortSteward> steward)
    {
        steward.ToTable("CohortStewards");
        steward.HasKey(s => new { s.CohortId, s.UserId });
        steward.HasIndex(s => s.UserId);
    }
}
