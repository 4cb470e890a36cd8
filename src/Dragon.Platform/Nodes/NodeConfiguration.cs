using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dragon.Platform.Nodes;

internal sealed class NodeConfiguration : IEntityTypeConfiguration<PartnerNode>
{
    public void Configure(EntityTypeBuilder<PartnerNode> node)
    {
        node.ToTable("Nodes");
        node.HasKey(n => n.Id);
        node.Property(n => n.Name).HasMaxLength(200);
        node.Property(n => n.Organisation).HasMaxLength(200);
        node.Property(n => n.Country).HasMaxLength(2);
        node.Property(n => n.ContactEmail).HasMaxLength(254);
        node.Property(n => n.ClientId).HasMaxLength(100);
        node.Property(n => n.AgentVersion).HasMaxLength(50);
        node.Property(n => n.IdentityKey).HasMaxLength(Contracts.Nodes.IdentityKeys.MaxPublicKeyBytes);
        node.Property(n => n.Status).HasConversion<string>().HasMaxLength(20);
        node.HasIndex(n => n.ClientId).IsUnique();
        node.HasIndex(n => n.Status);
    }
}

internal sealed class EnrollmentTokenConfiguration : IEntityTypeConfiguration<EnrollmentToken>
{
    public void Configure(EntityTypeBuilder<EnrollmentToken> token)
    {
        token.ToTable("EnrollmentTokens");
        token.HasKey(t => t.Id);
        token.Property(t => t.TokenHash).HasMaxLength(64);
        token.Property(t => t.Organisation).HasMaxLength(200);
        token.HasIndex(t => t.TokenHash).IsUnique();
    }
}
