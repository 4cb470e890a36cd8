namespace Dragon.Node.Jobs;

/// <summary>What a contribution was made of, for the agent's log: counts and row numbers, never values.</summary>
/// <param name="Included">The consenting records that matched the filter.</param>
/// <param name="LeftOut">Per data source, the rows that could not be read and so were not counted.</param>
/// <param name="Commitment">The commitment uploaded: the digest of the ciphertext committed to and the platform's receipt.</param>
public sealed record ContributionSummary(int Included, IReadOnlyList<LeftOutRows> LeftOut, UploadOutcome? Commitment = null);

/// <summary>What an upload sent, by its SHA-256 (hex), and the platform's signed receipt of the audit event for it (null if none came).</summary>
public sealed record UploadOutcome(string Digest, Dragon.Contracts.Audit.AuditReceipt? Receipt);

