namespace Dragon.Node.Audit;

/// <summary>
/// One line of the node's own audit log: a task this node served or refused, with what a data protection officer asks
/// about it: for whom (agreement, researcher, organisation), what (the query, the cohorts), on which consents (the feed
/// cursor), over how many records, and the digest of what left the hospital. Personal data never: no subject, no value.
/// </summary>
/// <param name="Outcome"><c>served</c> or <c>refused</c>.</param>
/// <param name="Task">The task's kind: <c>keyShare</c>, <c>thresholdShares</c>, <c>commitment</c>, <c>contribution</c>, <c>decryptionShare</c>.</param>
/// <param name="Query">For job tasks, the aggregation kind, the variables read and the filter, as JSON.</param>
/// <param name="ConsentCursor">For a commitment, the consent feed cursor the node's consents were synced to.</param>
/// <param name="Records">For a commitment, how many consenting records matched the job.</param>
/// <param name="UploadDigest">SHA-256 (hex) of what the node uploaded: the ciphertext committed to or revealed, or the decryption share.</param>
/// <param name="Rule">For a refusal, why (the policy rule's key is in it).</param>
/// <param name="Receipt">For an upload, the platform's signed receipt of the audit event that records it.</param>
public sealed record NodeAuditEntry(
    DateTimeOffset At,
    string Outcome,
    string Task,
    Guid? JobId,
    Guid KeySetId,
    int Round,
    Guid? AgreementId = null,
    Guid? ResearcherId = null,
    string? Researcher = null,
    string? Organisation = null,
    string? Query = null,
    string? Cohorts = null,
    long? ConsentCursor = null,
    int? Records = null,
    string? UploadDigest = null,
    string? Rule = null,
    Dragon.Contracts.Audit.AuditReceipt? Receipt = null)
{
    public const string Served = "served";
    public const string Refused = "refused";
}

/// <summary>An entry as stored: its place in the chain, the hash that links it and the node's signature over that hash.</summary>
public sealed record NodeAuditRecord(long Sequence, NodeAuditEntry Entry, string PreviousHash, string Hash, string Signature);
