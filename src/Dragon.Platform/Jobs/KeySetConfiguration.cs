using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dragon.Platform.Jobs;

internal sealed class KeySetConfiguration : IEntityTypeConfiguration<KeySet>
{
    public void Configure(EntityTypeBuilder<KeySet> keySet)
    {
        keySet.ToTable("KeySets");
        keySet.HasKey(k => k.Id);
        keySet.Property(k => k.Parameters).HasMaxLength(40);
        keySet.Property(k => k.CommonSeed).HasMaxLength(32);
        keySet.Property(k => k.Status).HasConversion<string>().HasMaxLength(20);
        keySet.HasMany(k => k.Members).WithOne().HasForeignKey(m => m.KeySetId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class KeySetMemberConfiguration : IEntityTypeConfiguration<KeySetMember>
{
    public void Configure(EntityTypeBuilder<KeySetMember> member)
    {
        member.ToTable("KeySetMembers");
        member.HasKey(m => new { m.KeySetId, m.NodeId });
        member.Property(m => m.ShareSignature).HasMaxLength(Contracts.Nodes.IdentityKeys.SignatureBytes);
        member.HasIndex(m => m.NodeId);
        member.Property(m => m.ExchangeKey).HasMaxLength(Contracts.Nodes.IdentityKeys.MaxPublicKeyBytes);
    }
}

internal sealed class KeySetThresholdShareConfiguration : IEntityTypeConfiguration<KeySetThresholdShare>
{
    public void Configure(EntityTypeBuilder<KeySetThresholdShare> share)
    {
        share.ToTable("KeySetThresholdShares");
        share.HasKey(s => new { s.KeySetId, s.DealerId, s.RecipientId });
        share.HasIndex(s => new { s.KeySetId, s.RecipientId });
        share.Property(s => s.Signature).HasMaxLength(Contracts.Nodes.IdentityKeys.SignatureBytes);
        share.HasOne<KeySet>().WithMany().HasForeignKey(s => s.KeySetId).OnDelete(DeleteBehavior.Cascade);
    }
}
