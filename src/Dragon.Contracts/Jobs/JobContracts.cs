using System.Text.Json;

namespace Dragon.Contracts.Jobs;

/// <param name="Op"><c>eq</c>, <c>ne</c>, <c>lt</c>, <c>le</c>, <c>gt</c>, <c>ge</c> or <c>in</c> (value an array).</param>
public sealed record FilterCondition(string? Variable, string? Op, JsonElement Value);

/// <param name="Kind"><c>count</c>, <c>sum</c>, <c>mean</c>, <c>variance</c>, <c>histogram</c> or <c>crosstab</c>.</param>
public sealed record AggregationSpec(string? Kind, string? Variable = null, IReadOnlyList<double>? Bins = null, IReadOnlyList<string>? GroupBy = null);

public sealed record JobRequest(Guid? AgreementId, Guid? KeySetId, IReadOnlyList<Guid>? CohortIds, IReadOnlyList<FilterCondition>? Filter, AggregationSpec? Aggregation);

public sealed record JobNodeResponse(Guid NodeId, string State);

/// <summary>What a node is told after an upload: the job's step and its own state (never the result).</summary>
public sealed record NodeJobResponse(Guid JobId, string Status, string State);

public sealed record ResultCell(IReadOnlyDictionary<string, string> Group, double? Value, bool Suppressed);

public sealed record JobResult(string Kind, IReadOnlyList<ResultCell> Cells, DateTimeOffset ReleasedAt);

public sealed record JobResponse(
    Guid Id,
    string Status,
    Guid AgreementId,
    Guid KeySetId,
    IReadOnlyList<Guid> CohortIds,
    AggregationSpec Aggregation,
    IReadOnlyList<FilterCondition> Filter,
    IReadOnlyList<JobNodeResponse> Nodes,
    JobResult? Result,
    string? Failure,
    DateTimeOffset CreatedAt);

/// <param name="Ciphertext">Base64 of the serialized encrypted local vector (a ciphertext vector).</param>
public sealed record ContributionUpload(string? Ciphertext);

/// <param name="Share">Base64 of the serialized decryption share for the aggregate named in the task.</param>
public sealed record DecryptionShareUpload(string? Share);
