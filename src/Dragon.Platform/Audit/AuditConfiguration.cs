using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dragon.Platform.Audit;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> e)
    {
        e.ToTable("AuditEvents");
        e.HasKey(x => x.Sequence);
        e.Property(x => x.Sequence).ValueGeneratedNever();
        e.Property(x => x.ActorType).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.ActorId).HasMaxLength(100);
        e.Property(x => x.Action).HasConversion<int>();
        e.Property(x => x.ObjectType).HasMaxLength(50);
        e.Property(x => x.ObjectId).HasMaxLength(100);
        e.Property(x => x.Purpose).HasMaxLength(100);
        e.Property(x => x.LegalBasis).HasMaxLength(200);
        e.Property(x => x.PreviousHash).HasMaxLength(64);
        e.Property(x => x.Hash).HasMaxLength(64);
        e.HasIndex(x => x.OccurredAt);
        e.HasIndex(x => new { x.ActorType, x.ActorId });
        e.HasIndex(x => x.ObjectId);
        e.HasIndex(x => x.PersonRef);
    }
}

internal sealed class AuditHeadConfiguration : IEntityTypeConfiguration<AuditHead>
{
    public void Configure(EntityTypeBuilder<AuditHead> head)
    {
        head.ToTable("AuditHead");
        head.HasKey(h => h.Id);
        head.Property(h => h.Id).ValueGeneratedNever();
        head.Property(h => h.LastHash).HasMaxLength(64);
        head.HasData(new AuditHead { Id = AuditHead.SingletonId, LastSequence = 0, LastHash = AuditCanonicalForm.GenesisHash });
    }
}

internal sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> checkpoint)
    {
        checkpoint.ToTable("AuditCheckpoints");
        checkpoint.HasKey(c => c.Sequence);
        checkpoint.Property(c => c.Sequence).ValueGeneratedNever();
        checkpoint.Property(c => c.RootHash).HasMaxLength(64);
        checkpoint.Property(c => c.KeyId).HasMaxLength(16);
        checkpoint.Property(c => c.Origin).HasMaxLength(200);
        checkpoint.Property(c => c.Signature).HasMaxLength(200);
    }
}

internal sealed class PersonKeyConfiguration : IEntityTypeConfiguration<PersonKey>
{
    public void Configure(EntityTypeBuilder<PersonKey> key)
    {
        key.ToTable("PersonKeys");
        key.HasKey(k => k.PersonRef);
        key.Property(k => k.Key).HasMaxLength(64);
    }
}
