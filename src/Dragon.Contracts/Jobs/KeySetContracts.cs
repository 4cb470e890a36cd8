namespace Dragon.Contracts.Jobs;

/// <param name="Parameters">A parameter preset of the homomorphic engine, such as <c>bfv-8192</c>.</param>
/// <param name="Threshold">How many members together can decrypt (t of N); absent: all of them.</param>
public sealed record KeySetRequest(IReadOnlyList<Guid>? NodeIds, string? Parameters, int? Threshold = null);

public sealed record KeySetMemberResponse(Guid NodeId, bool ShareUploaded, DateTimeOffset? UploadedAt);

/// <summary>
/// A member of a key set as a node checks it: its party index (its place among the members ordered by node id), its
/// identity key and fingerprint from enrollment, and once uploaded its public-key share with the share's digest and
/// the member's signature over <see cref="SignedStatements.KeyShare"/>.
/// </summary>
/// <param name="PublicKey">Base64 of the member's identity key (DER SubjectPublicKeyInfo).</param>
/// <param name="Share">Base64 of the member's serialized public-key share.</param>
/// <param name="ShareDigest">Lowercase hex SHA-256 of the share.</param>
/// <param name="Signature">Base64 of the member's signature.</param>
/// <param name="ExchangeKey">In a t-of-N key set, base64 of the member's key-agreement key for this key set (DER SubjectPublicKeyInfo, ECDH P-256), covered by its signature: the key its threshold shares are encrypted to.</param>
/// <param name="Dealt">In a t-of-N key set, whether the member has dealt its threshold shares.</param>
public sealed record RosterMember(
    Guid NodeId, int PartyIndex, string? PublicKey, string? Fingerprint, string? Share, string? ShareDigest, string? Signature,
    string? ExchangeKey = null, bool Dealt = false);

/// <param name="CommonSeed">Base64 of the 32-byte public seed of the common random polynomial.</param>
/// <param name="Status"><c>Pending</c>, <c>Sharing</c> (a t-of-N key set whose members deal their threshold shares), <c>Ready</c>, or <c>Retired</c> once it has decrypted as many ciphertext parts as its smudging allows.</param>
/// <param name="CollectivePublicKey">Base64 of the serialized collective public key, once every share is in.</param>
/// <param name="DecryptedParts">Ciphertext parts its jobs have been given to decrypt so far (reserved at submission).</param>
/// <param name="MaxDecryptedParts">How many it may decrypt in its life before a new key ceremony is needed.</param>
/// <param name="Threshold">How many members together decrypt: the member count for an N-of-N key set.</param>
public sealed record KeySetResponse(
    Guid Id,
    string Parameters,
    string CommonSeed,
    string Status,
    IReadOnlyList<KeySetMemberResponse> Nodes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReadyAt,
    string? CollectivePublicKey,
    IReadOnlyList<RosterMember>? Members = null,
    long DecryptedParts = 0,
    long MaxDecryptedParts = 0,
    int Threshold = 0);

/// <param name="Share">Base64 of the serialized public-key share.</param>
/// <param name="Signature">Base64 of the node's identity-key signature over <see cref="SignedStatements.KeyShare"/>.</param>
/// <param name="ExchangeKey">For a t-of-N key set: base64 of the node's key-agreement key for it (see <see cref="RosterMember.ExchangeKey"/>).</param>
public sealed record KeyShareUpload(string? Share, string? Signature = null, string? ExchangeKey = null);

/// <summary>
/// One threshold share of a member's secret, sealed by its dealer to its recipient (AES-256-GCM under a key agreed
/// from the two members' exchange keys), so the platform relays it without reading it.
/// </summary>
/// <param name="Ciphertext">Base64 of the sealed share: 12-byte nonce, ciphertext, 16-byte tag.</param>
/// <param name="Signature">Base64 of the dealer's identity-key signature over <see cref="SignedStatements.ThresholdShare"/>.</param>
public sealed record SealedThresholdShare(Guid DealerId, Guid RecipientId, string? Ciphertext, string? Signature);

/// <param name="Reason">Why the key set is retired, for the audit trail (at most 500 characters).</param>
public sealed record KeySetRetirement(string? Reason);

/// <summary>A dealer's sealed threshold shares, one for every member of the key set, its own included.</summary>
public sealed record ThresholdSharesUpload(IReadOnlyList<SealedThresholdShare>? Shares);

/// <summary>
/// Work waiting for a node, one format for every step. <paramref name="Kind"/> is <c>keyShare</c> (make a secret share
/// and upload the signed public-key share), <c>commitment</c> (compute and encrypt the local vector for the job
/// manifest <paramref name="Job"/>, keep it, upload a signed commitment to it), <c>contribution</c> (once
/// <paramref name="Commitments"/> holds every participant's, reveal the ciphertext committed to) or
/// <c>decryptionShare</c> (fetch the contributions, <c>GET /api/v1/jobs/{id}/contributions</c>, check that
/// <paramref name="Aggregate"/> is their sum, exactly one committed ciphertext per contributor, then upload a signed
/// decryption share for it). <paramref name="Contributions"/> is null since tasks became lean; kept in the format for
/// older readers. For a t-of-N key
/// set a <c>thresholdShares</c> task asks the member to deal its secret to the others, and a decryption task names in
/// <paramref name="DecryptionSubset"/> the t contributors whose shares are combined (their Lagrange coefficients
/// depend on it). <paramref name="Round"/> numbers the rounds of a job that has several (0 for one-round kinds).
/// </summary>
public sealed record NodeTask(
    string Kind,
    Guid KeySetId,
    string Parameters,
    string CommonSeed,
    Guid? JobId = null,
    JobTaskSpec? Job = null,
    IReadOnlyList<string>? Contributions = null,
    string? Aggregate = null,
    int Round = 0,
    IReadOnlyList<SignedCommitment>? Commitments = null,
    IReadOnlyList<Guid>? DecryptionSubset = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] PriorRound? PriorRound = null);

/// <summary>
/// A model's previous round as every node checks it before the next: the aggregate it summed and the decryption shares
/// that decrypt it, each signed by its node. A node combines them itself and recomputes the coefficients it is asked to
/// evaluate, so the platform cannot steer a model's rounds towards weights that single a record out.
/// </summary>
/// <param name="Aggregate">Base64 of the previous round's aggregate.</param>
public sealed record PriorRound(string Aggregate, IReadOnlyList<SignedDecryptionShare> Shares);

/// <param name="Share">Base64 of the serialized decryption share.</param>
/// <param name="Signature">Base64 of its node's signature over <see cref="SignedStatements.DecryptionShare"/>.</param>
public sealed record SignedDecryptionShare(Guid NodeId, string Share, string Signature);

/// <summary>
/// A job's manifest, the same for every participant: the job and its key set, all of its cohorts (each node reads
/// those it holds), the agreement's purpose (consent filter), the query, the vector layout and the participating
/// nodes; <paramref name="Variables"/> are the variables as they were when the job was submitted, which the layout
/// follows even if a cohort's definition changed since; <paramref name="Privacy"/> is the release mode and the budget
/// the nodes calibrate their noise to (absent: exact, for jobs stored before it existed); <paramref name="MinContributors"/>,
/// under a t-of-N key set, is the fewest participants the job may go on with when others miss a deadline (absent: every
/// participant must contribute), which differentially private noise is calibrated to; <paramref name="Model"/>, for a
/// <c>glm</c>, is the round and the coefficients its nodes evaluate (so every round has a manifest of its own);
/// <paramref name="Requester"/> is who asked for it and <paramref name="MinCellCount"/> the smallest cell the platform
/// releases for it (both absent for jobs stored before they were kept). Its digest (<see cref="JobManifests.Digest"/>) is what every
/// commitment signs.
/// </summary>
public sealed record JobTaskSpec(
    Guid JobId,
    Guid KeySetId,
    IReadOnlyList<Guid> CohortIds,
    string Purpose,
    IReadOnlyList<FilterCondition> Filter,
    AggregationSpec Aggregation,
    int VectorLength,
    int DecimalPlaces,
    int ParticipantCount,
    IReadOnlyList<Guid> Participants,
    IReadOnlyList<LayoutVariable>? Variables = null,
    Privacy.JobPrivacy? Privacy = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? MinContributors = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] Models.GlmProgress? Model = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] JobRequester? Requester = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? MinCellCount = null)
{
    /// <summary>Every variable the job reads: its aggregation's and its filter's.</summary>
    public IEnumerable<string> ReadVariables() =>
        Aggregation.ReadVariables().Concat(Filter.Select(f => f.Variable).OfType<string>()).Distinct(StringComparer.Ordinal);
}

/// <summary>
/// Who asked for a job, as the platform recorded it at submission: the agreement, the researcher and their organisation
/// (the domain of the address they sign in with). In the manifest, so every node sees the same and a node's policy can
/// allow or deny by it; the platform vouches for it, as it vouches for the agreement.
/// </summary>
public sealed record JobRequester(Guid AgreementId, Guid ResearcherId, string ResearcherName, string Organisation);
