using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dragon.Platform.BackgroundWork;

internal sealed class WorkItemConfiguration : IEntityTypeConfiguration<WorkItem>
{
    public void Configure(EntityTypeBuilder<WorkItem> item)
    {
        item.ToTable("WorkItems");
        item.HasKey(w => w.Id);
        item.Property(w => w.Kind).HasMaxLength(100);
        item.Property(w => w.State).HasConversion<string>().HasMaxLength(20);
        item.Property(w => w.LastError).HasMaxLength(300);
        item.HasIndex(w => w.State);
    }
}
