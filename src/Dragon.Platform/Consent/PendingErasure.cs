using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dragon.Platform.Consent;

/// <summary>
/// A subject whose erasure waits for its node: the consents are withdrawn, and the pseudonym stays until the node's
/// agent has read those withdrawals in its feed (it could not tell which subject they were about once it is gone).
/// </summary>
public sealed class PendingErasure
{
    public Guid Id { get; init; }
    public Guid NodeId { get; init; }
    public required string SubjectRef { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
}

internal sealed class PendingErasureConfiguration : IEntityTypeConfiguration<PendingErasure>
{
    public void Configure(EntityTypeBuilder<PendingErasure> erasure)
    {
        erasure.ToTable("PendingErasures");
        erasure.HasKey(e => e.Id);
        erasure.Property(e => e.SubjectRef).HasMaxLength(100);
        erasure.HasIndex(e => new { e.NodeId, e.SubjectRef }).IsUnique();
    }
}
