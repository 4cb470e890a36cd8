namespace Dragon.Contracts.Consent;

/// <summary>
/// One use of a patient's cohort while their consent covered it (GDPR art. 15): an agreement, with the period
/// during which both held, or a job under it (<paramref name="Kind"/> <c>job</c>) that started in that period.
/// </summary>
/// <param name="To">The end of the period; for a job, null.</param>
public sealed record AccessLogEntry(
    Guid ConsentId,
    Guid CohortId,
    string Kind,
    Guid AgreementId,
    string Purpose,
    string PurposeLabel,
    DateTimeOffset From,
    DateTimeOffset? To,
    Guid? JobId = null);
