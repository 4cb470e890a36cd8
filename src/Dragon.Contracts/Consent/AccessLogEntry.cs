namespace Dragon.Contracts.Consent;

/// <summary>
/// One use of a patient's cohort while their consent covered it (GDPR art. 15): an agreement (and, once jobs
/// run, each job under it), with the period during which both held.
/// </summary>
public sealed record AccessLogEntry(
    Guid ConsentId,
    Guid CohortId,
    string Kind,
    Guid AgreementId,
    string Purpose,
    string PurposeLabel,
    DateTimeOffset From,
    DateTimeOffset? To);
