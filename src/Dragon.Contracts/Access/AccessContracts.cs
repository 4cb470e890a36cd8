namespace Dragon.Contracts.Access;

public sealed record AccessRequestBody(
    string? Title,
    string? Purpose,
    IReadOnlyList<Guid>? CohortIds,
    IReadOnlyList<string>? Variables,
    IReadOnlyList<string>? Aggregations,
    string? Justification,
    int? DurationDays);

/// <param name="Decision"><c>approve</c>, <c>reject</c> or <c>requestChanges</c>.</param>
/// <param name="ReleaseMode">With <c>approve</c>: <c>dp</c> (the default) or <c>exact</c>; the agreement releases exact results only when every approving steward chose <c>exact</c>.</param>
public sealed record DecisionRequest(string? Decision, string? Comment, string? ReleaseMode = null);

public sealed record DecisionResponse(Guid CohortId, Guid StewardId, int Round, string Decision, string? Comment, DateTimeOffset DecidedAt, string? ReleaseMode = null);

/// <summary>An agreement's budget as (epsilon, delta)-DP, converted from zCDP rho for display.</summary>
public sealed record PrivacyEpsilon(double Delta, double Epsilon, double EpsilonSpent, double EpsilonLeft);

public sealed record AccessRequestResponse(
    Guid Id,
    Guid ResearcherId,
    string Title,
    string Purpose,
    IReadOnlyList<Guid> CohortIds,
    IReadOnlyList<string> Variables,
    IReadOnlyList<string> Aggregations,
    string Justification,
    int DurationDays,
    string Status,
    int Round,
    Guid? AgreementId,
    DateTimeOffset SubmittedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<DecisionResponse> Decisions);

public sealed record AgreementResponse(
    Guid Id,
    Guid RequestId,
    Guid ResearcherId,
    string Purpose,
    IReadOnlyList<Guid> CohortIds,
    IReadOnlyList<string> Variables,
    IReadOnlyList<string> Aggregations,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    double PrivacyBudget,
    double BudgetSpent,
    string Status,
    DateTimeOffset? RevokedAt,
    double BudgetLeft = 0,
    string ReleaseMode = "dp",
    PrivacyEpsilon? Privacy = null);
