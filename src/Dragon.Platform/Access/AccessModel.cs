namespace Dragon.Platform.Access;

public enum AccessRequestStatus
{
    Submitted,
    ChangesRequested,
    Approved,
    Rejected,
    Withdrawn,
}

public enum AccessDecisionKind
{
    Approve,
    Reject,
    RequestChanges,
}

public enum AgreementStatus
{
    Active,
    Expired,
    Revoked,
}

/// <summary>A researcher's request to run aggregations over some cohorts for one purpose.</summary>
public sealed class AccessRequest
{
    public Guid Id { get; init; }
    public Guid ResearcherId { get; init; }
    public required string Title { get; set; }
    public required string Purpose { get; set; }
    public List<Guid> CohortIds { get; set; } = [];
    public List<string> Variables { get; set; } = [];
    public List<string> Aggregations { get; set; } = [];
    public required string Justification { get; set; }
    public int DurationDays { get; set; }
    public AccessRequestStatus Status { get; set; }
    /// <summary>Grows with each resubmission; only decisions of the current round count.</summary>
    public int Round { get; set; } = 1;
    public Guid? AgreementId { get; set; }
    public DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<AccessDecision> Decisions { get; init; } = [];
}

/// <summary>One steward's decision on one requested cohort in one round.</summary>
public sealed class AccessDecision
{
    public Guid Id { get; init; }
    public Guid RequestId { get; init; }
    public Guid CohortId { get; init; }
    public Guid StewardId { get; init; }
    public int Round { get; init; }
    public AccessDecisionKind Decision { get; init; }
    public string? Comment { get; init; }
    /// <summary>For an approval, the release mode the steward allows (<see cref="Dragon.Contracts.Privacy.ReleaseModes"/>).</summary>
    public string? ReleaseMode { get; init; }
    public DateTimeOffset DecidedAt { get; init; }
}

/// <summary>What an approved request allows; every job is checked against it.</summary>
public sealed class Agreement
{
    public Guid Id { get; init; }
    public Guid RequestId { get; init; }
    public Guid ResearcherId { get; init; }
    public required string Purpose { get; init; }
    public List<Guid> CohortIds { get; init; } = [];
    public List<string> Variables { get; init; } = [];
    public List<string> Aggregations { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public double PrivacyBudget { get; init; }
    public double BudgetSpent { get; set; }
    /// <summary><c>dp</c> unless every approving steward allowed <c>exact</c> (<see cref="Dragon.Contracts.Privacy.ReleaseModes"/>).</summary>
    public string ReleaseMode { get; init; } = Dragon.Contracts.Privacy.ReleaseModes.Dp;
    public AgreementStatus Status { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public Guid? RevokedBy { get; set; }

    /// <summary>The status as of <paramref name="now"/>: an active agreement past its expiry is expired even before the expiry job runs.</summary>
    public AgreementStatus StatusAt(DateTimeOffset now) =>
        Status == AgreementStatus.Active && ExpiresAt <= now ? AgreementStatus.Expired : Status;
}
