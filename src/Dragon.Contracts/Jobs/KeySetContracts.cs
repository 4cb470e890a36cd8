namespace Dragon.Contracts.Jobs;

/// <param name="Parameters">A parameter preset of the homomorphic engine, such as <c>bfv-8192</c>.</param>
public sealed record KeySetRequest(IReadOnlyList<Guid>? NodeIds, string? Parameters);

public sealed record KeySetMemberResponse(Guid NodeId, bool ShareUploaded, DateTimeOffset? UploadedAt);

/// <param name="CommonSeed">Base64 of the 32-byte public seed of the common random polynomial.</param>
/// <param name="CollectivePublicKey">Base64 of the serialized collective public key, once every share is in.</param>
public sealed record KeySetResponse(
    Guid Id,
    string Parameters,
    string CommonSeed,
    string Status,
    IReadOnlyList<KeySetMemberResponse> Nodes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReadyAt,
    string? CollectivePublicKey);

/// <param name="Share">Base64 of the serialized public-key share.</param>
public sealed record KeyShareUpload(string? Share);

/// <summary>
/// Work waiting for a node. <paramref name="Kind"/> is <c>keyShare</c>, <c>contribution</c> (compute, encrypt and
/// upload the local vector for <paramref name="Job"/> laid out as <paramref name="Layout"/>) or
/// <c>decryptionShare</c> (check that <paramref name="Aggregate"/> is the sum of <paramref name="Contributions"/>,
/// then upload a decryption share for it).
/// </summary>
public sealed record NodeTask(
    string Kind,
    Guid KeySetId,
    string Parameters,
    string CommonSeed,
    Guid? JobId = null,
    JobTaskSpec? Job = null,
    IReadOnlyList<string>? Contributions = null,
    string? Aggregate = null);

/// <summary>
/// What a node computes for a job: its cohorts, the agreement's purpose (consent filter), the query and the vector
/// layout; <paramref name="Variables"/> are the variables as they were when the job was submitted, which the layout
/// follows even if a cohort's definition changed since.
/// </summary>
public sealed record JobTaskSpec(
    IReadOnlyList<Guid> CohortIds,
    string Purpose,
    IReadOnlyList<FilterCondition> Filter,
    AggregationSpec Aggregation,
    int VectorLength,
    int DecimalPlaces,
    int ParticipantCount,
    IReadOnlyList<LayoutVariable>? Variables = null);
