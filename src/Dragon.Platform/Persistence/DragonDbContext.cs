using Dragon.Platform.Access;
using Dragon.Platform.Audit;
using Dragon.Platform.BackgroundWork;
using Dragon.Platform.Catalogue;
using Dragon.Platform.Consent;
using Dragon.Platform.Identity;
using Dragon.Platform.Jobs;
using Dragon.Platform.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Persistence;

public sealed class DragonDbContext(DbContextOptions<DragonDbContext> options)
    : IdentityDbContext<DragonUser, IdentityRole<Guid>, Guid>(options)
{
    /// <summary>Case- and accent-sensitive comparison on SQL Server, as text compares on SQLite and PostgreSQL.</summary>
    private const string BinaryCollation = "Latin1_General_100_BIN2";

    public DbSet<Cohort> Cohorts => Set<Cohort>();
    public DbSet<CohortSteward> CohortStewards => Set<CohortSteward>();
    public DbSet<WorkItem> WorkItems => Set<WorkItem>();
    public DbSet<PartnerNode> Nodes => Set<PartnerNode>();
    public DbSet<EnrollmentToken> EnrollmentTokens => Set<EnrollmentToken>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AuditHead> AuditHeads => Set<AuditHead>();
    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();
    public DbSet<PersonKey> PersonKeys => Set<PersonKey>();
    public DbSet<ConsentRecord> Consents => Set<ConsentRecord>();
    public DbSet<ConsentVersion> ConsentVersions => Set<ConsentVersion>();
    public DbSet<LinkCode> LinkCodes => Set<LinkCode>();
    public DbSet<PatientLink> PatientLinks => Set<PatientLink>();
    public DbSet<PendingErasure> PendingErasures => Set<PendingErasure>();
    public DbSet<AccessRequest> AccessRequests => Set<AccessRequest>();
    public DbSet<AccessDecision> AccessDecisions => Set<AccessDecision>();
    public DbSet<Agreement> Agreements => Set<Agreement>();
    public DbSet<ResearcherCohortBudget> ResearcherCohortBudgets => Set<ResearcherCohortBudget>();
    public DbSet<KeySet> KeySets => Set<KeySet>();
    public DbSet<KeySetMember> KeySetMembers => Set<KeySetMember>();
    public DbSet<KeySetThresholdShare> KeySetThresholdShares => Set<KeySetThresholdShare>();
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<JobNode> JobNodes => Set<JobNode>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);
        if (Database.IsSqlite())
        {
            // SQLite has no date type; UTC ticks keep full precision and let range filters and ordering run in SQL.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.ApplyConfigurationsFromAssembly(typeof(DragonDbContext).Assembly);
        if (Database.IsSqlServer())
        {
            // SQL Server compares text without regard to case by default; a node's pseudonyms are case-sensitive
            // ("ab12" and "AB12" are two patients), as they are on SQLite and PostgreSQL.
            builder.Entity<ConsentRecord>().Property(c => c.SubjectRef).UseCollation(BinaryCollation);
            builder.Entity<LinkCode>().Property(c => c.SubjectRef).UseCollation(BinaryCollation);
            builder.Entity<PatientLink>().Property(l => l.SubjectRef).UseCollation(BinaryCollation);
            builder.Entity<PendingErasure>().Property(e => e.SubjectRef).UseCollation(BinaryCollation);
        }
    }
}
