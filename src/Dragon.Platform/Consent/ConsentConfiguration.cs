using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dragon.Platform.Consent;

internal sealed class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> consent)
    {
        consent.ToTable("Consents");
        consent.HasKey(c => c.Id);
        consent.Property(c => c.SubjectRef).HasMaxLength(100);
        consent.HasIndex(c => new { c.NodeId, c.CohortId, c.SubjectRef }).IsUnique();
        consent.HasIndex(c => new { c.NodeId, c.SubjectRef });
        consent.Ignore(c => c.Current);
        consent.HasMany(c => c.Versions).WithOne().HasForeignKey(v => v.ConsentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ConsentVersionConfiguration : IEntityTypeConfiguration<ConsentVersion>
{
    public void Configure(EntityTypeBuilder<ConsentVersion> version)
    {
        version.ToTable("ConsentVersions");
        version.HasKey(v => v.Id);
        version.Property(v => v.Status).HasConversion<string>().HasMaxLength(20);
        version.Property(v => v.ActorType).HasConversion<string>().HasMaxLength(20);
        version.Property(v => v.ActorId).HasMaxLength(100);
        version.Property(v => v.Evidence).HasMaxLength(1000);
        version.HasIndex(v => new { v.ConsentId, v.Version }).IsUnique();
        version.HasIndex(v => v.FeedPosition);
    }
}

internal sealed class LinkCodeConfiguration : IEntityTypeConfiguration<LinkCode>
{
    public void Configure(EntityTypeBuilder<LinkCode> code)
    {
        code.ToTable("LinkCodes");
        code.HasKey(c => c.Id);
        code.Property(c => c.CodeHash).HasMaxLength(64);
        code.Property(c => c.SubjectRef).HasMaxLength(100);
        code.HasIndex(c => c.CodeHash).IsUnique();
    }
}

internal sealed class PatientLinkConfiguration : IEntityTypeConfiguration<PatientLink>
{
    public void Configure(EntityTypeBuilder<PatientLink> link)
    {
        link.ToTable("PatientLinks");
        link.HasKey(l => new { l.UserId, l.NodeId, l.SubjectRef });
        link.Property(l => l.SubjectRef).HasMaxLength(100);
        link.HasIndex(l => new { l.NodeId, l.SubjectRef });
    }
}
