using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dragon.Platform.Jobs;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> job)
    {
        job.ToTable("Jobs");
        job.HasKey(j => j.Id);
        job.Property(j => j.Status).HasConversion<string>().HasMaxLength(20);
        job.Property(j => j.Failure).HasMaxLength(1000);
        job.Property(j => j.ReleaseMode).HasMaxLength(10);
        job.Ignore(j => j.IsFinished);
        job.HasIndex(j => new { j.Status, j.Deadline });
        job.HasIndex(j => j.AgreementId);
        job.HasIndex(j => new { j.ResearcherId, j.CreatedAt });
        job.HasMany(j => j.Nodes).WithOne().HasForeignKey(n => n.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class JobNodeConfiguration : IEntityTypeConfiguration<JobNode>
{
    public void Configure(EntityTypeBuilder<JobNode> node)
    {
        node.ToTable("JobNodes");
        node.HasKey(n => new { n.JobId, n.NodeId });
        node.Property(n => n.State).HasConversion<string>().HasMaxLength(20);
        node.Property(n => n.Commitment).HasMaxLength(32);
        node.Property(n => n.CommitmentSignature).HasMaxLength(Contracts.Nodes.IdentityKeys.SignatureBytes);
        node.Property(n => n.DecryptionShareSignature).HasMaxLength(Contracts.Nodes.IdentityKeys.SignatureBytes);
        node.Property(n => n.Missed).HasMaxLength(20);
        node.Ignore(n => n.IsAsked);
        node.HasIndex(n => n.NodeId);
    }
}
