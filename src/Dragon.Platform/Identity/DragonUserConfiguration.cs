using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dragon.Platform.Identity;

internal sealed class DragonUserConfiguration : IEntityTypeConfiguration<DragonUser>
{
    public void Configure(EntityTypeBuilder<DragonUser> user) => user.Property(u => u.DisplayName).HasMaxLength(100);
}
