namespace Dragon.Node.Jobs;

/// <summary>What a contribution was made of, for the agent's log: counts and row numbers, never values.</summary>
/// <param name="Included">The consenting records that matched the filter.</param>
/// <param name="LeftOut">Per data source, the rows that could not be read and so were not counted.</param>
/// <param name="CiphertextDigest">SHA-256 (hex) of the ciphertext committed to, once it is made.</param>
public sealed record ContributionSummary(int Included, IReadOnlyList<LeftOutRows> LeftOut, string? CiphertextDigest = null);

