namespace Dragon.Platform.Audit;

/// <summary>
/// What an audit event records. Numbered in blocks per entity; stored events refer to these numbers, so a
/// value is never renumbered or reused: a retired one stays, marked <see cref="ObsoleteAttribute"/>.
/// </summary>
public enum AuditAction
{
    Account_Registered = 1000,
    Account_Created = 1001,
    Account_SignedIn = 1002,
    Account_SignInFailed = 1003,
    Person_DataErased = 1004,
    /// <summary>A patient erased their account (GDPR art. 17): plain copies removed, links dropped, consents withdrawn.</summary>
    Account_Erased = 1005,

    Node_EnrollmentTokenIssued = 1100,
    Node_Enrolled = 1101,
    Node_Approved = 1102,
    Node_Suspended = 1103,
    Node_Reinstated = 1104,

    Cohort_Published = 1200,
    Cohort_Updated = 1201,
    Cohort_StewardAdded = 1202,
    Cohort_StewardRemoved = 1203,

    Consent_Registered = 1300,
    Consent_Changed = 1301,
    Consent_LinkCodeIssued = 1302,
    Consent_PatientLinked = 1303,
    Consent_WithdrawnByPatient = 1304,
    Consent_GrantedByPatient = 1305,
    /// <summary>A consent withdrawn because its subject asked for erasure, through the patient or the node.</summary>
    Consent_WithdrawnForErasure = 1306,
    /// <summary>A subject's pseudonym removed from the platform once its node had the withdrawals; the object is a tombstone.</summary>
    Consent_SubjectErased = 1307,

    AccessRequest_Submitted = 1400,
    AccessRequest_Amended = 1401,
    AccessRequest_Withdrawn = 1402,
    AccessRequest_Decided = 1403,
    Agreement_Created = 1410,
    Agreement_Revoked = 1411,
    Agreement_Expired = 1412,

    KeySet_Created = 1500,
    KeySet_ShareUploaded = 1501,
    KeySet_Ready = 1502,
    KeySet_Retired = 1503,
    /// <summary>A t-of-N key set's public-key shares are all in; its members deal their threshold shares.</summary>
    KeySet_Sharing = 1504,
    KeySet_ThresholdSharesDealt = 1505,

    Job_Submitted = 1600,
    Job_Collecting = 1601,
    Job_ContributionReceived = 1602,
    Job_Aggregated = 1603,
    Job_DecryptionShareReceived = 1604,
    Job_Released = 1605,
    Job_Failed = 1606,
    Job_Cancelled = 1607,
    Job_Committing = 1608,
    Job_CommitmentReceived = 1609,
    /// <summary>A submission refused because it would exceed a privacy budget: nothing was stored but this event.</summary>
    Job_Refused = 1610,
    /// <summary>A job under a t-of-N key set goes on without the nodes that missed a step's deadline.</summary>
    Job_NodesLeftOut = 1611,
    /// <summary>A round of a model was decrypted and has not converged: the job starts the next round at new coefficients.</summary>
    Job_RoundCompleted = 1612,

    Retention_Applied = 1900,
}
