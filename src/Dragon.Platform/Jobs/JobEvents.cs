using Dragon.Platform.Audit;

namespace Dragon.Platform.Jobs;

/// <summary>The audit event of a job's step: its status and agreement, and what the step adds.</summary>
public static class JobEvents
{
    public static AuditEntry Of(AuditActor actor, AuditAction action, Job job, string? purpose = null, params (string Key, string? Value)[] facts)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(actor, action, "Job", job.Id.ToString(),
            AuditFacts.Of([("status", job.Status.ToString()), ("agreementId", job.AgreementId.ToString()), .. facts]), Purpose: purpose);
    }
}
