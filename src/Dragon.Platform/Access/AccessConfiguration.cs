using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dragon.Platform.Access;

internal sealed class AccessRequestConfiguration : IEntityTypeConfiguration<AccessRequest>
{
    public void Configure(EntityTypeBuilder<AccessRequest> request)
    {
        request.ToTable("AccessRequests");
        request.HasKey(r => r.Id);
        request.Property(r => r.Title).HasMaxLength(200);
        request.Property(r => r.Purpose).HasMaxLength(20);
        request.Property(r => r.Justification).HasMaxLength(5000);
        request.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        request.HasIndex(r => r.ResearcherId);
        request.HasMany(r => r.Decisions).WithOne().HasForeignKey(d => d.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccessDecisionConfiguration : IEntityTypeConfiguration<AccessDecision>
{
    public void Configure(EntityTypeBuilder<AccessDecision> decision)
    {
        decision.ToTable("AccessDecisions");
        decision.HasKey(d => d.Id);
        decision.Property(d => d.Decision).HasConversion<string>().HasMaxLength(20);
        decision.Property(d => d.Comment).HasMaxLength(2000);
        decision.Property(d => d.ReleaseMode).HasMaxLength(10);
        decision.HasIndex(d => new { d.RequestId, d.CohortId, d.Round }).IsUnique();
    }
}

internal sealed class AgreementConfiguration : IEntityTypeConfiguration<Agreement>
{
    public void Configure(EntityTypeBuilder<Agreement> agreement)
    {
        agreement.ToTable("Agreements");
        agreement.HasKey(a => a.Id);
        agreement.Property(a => a.Purpose).HasMaxLength(20);
        agreement.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        agreement.Property(a => a.ReleaseMode).HasMaxLength(10);
        agreement.HasIndex(a => a.RequestId).IsUnique();
        agreement.HasIndex(a => a.ResearcherId);
        agreement.HasIndex(a => new { a.Status, a.ExpiresAt });
    }
}

internal sealed class ResearcherCohortBudgetConfiguration : IEntityTypeConfiguration<ResearcherCohortBudget>
{
    public void Configure(EntityTypeBuilder<ResearcherCohortBudget> budget)
    {
        budget.ToTable("ResearcherCohortBudgets");
        budget.HasKey(b => new { b.ResearcherId, b.CohortId });
    }
}
