using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dragon.Contracts.Jobs;

/// <param name="Op"><c>eq</c>, <c>ne</c>, <c>lt</c>, <c>le</c>, <c>gt</c>, <c>ge</c> or <c>in</c> (value an array).</param>
public sealed record FilterCondition(string? Variable, string? Op, JsonElement Value);

/// <param name="Kind"><c>count</c>, <c>sum</c>, <c>mean</c>, <c>variance</c>, <c>histogram</c>, <c>crosstab</c> or <c>glm</c>.</param>
/// <param name="Family">For a <c>glm</c>: <c>binomial</c>, <c>poisson</c> or <c>gaussian</c>.</param>
/// <param name="Link">For a <c>glm</c>: the link, the family's canonical one (logit, log, identity) when absent.</param>
/// <param name="Outcome">For a <c>glm</c>: the response variable (boolean, or categorical of two categories whose second is the event, for binomial; integer for poisson; numeric for gaussian).</param>
/// <param name="Covariates">For a <c>glm</c>: numeric, boolean or categorical variables; a categorical one enters as dummies against its first category.</param>
/// <param name="Offset">For a <c>glm</c>: a numeric variable added to the linear predictor with coefficient 1 (say, the log of exposure).</param>
/// <param name="MaxIterations">For a <c>glm</c>: the most rounds of iteratively reweighted least squares (default 25, at most 100).</param>
/// <param name="Tolerance">For a <c>glm</c>: the relative change of the deviance at which the fit has converged (default 1e-8).</param>
public sealed record AggregationSpec(
    string? Kind, string? Variable = null, IReadOnlyList<double>? Bins = null, IReadOnlyList<string>? GroupBy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Family = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Link = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Outcome = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Covariates = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Offset = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxIterations = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Tolerance = null)
{
    /// <summary>Every variable the aggregation reads: the aggregated one, those it groups by, and a model's outcome, covariates and offset.</summary>
    public IEnumerable<string> ReadVariables() =>
        new[] { Variable, Outcome, Offset }.Concat(GroupBy ?? []).Concat(Covariates ?? []).OfType<string>().Distinct(StringComparer.Ordinal);
}

public sealed record JobRequest(Guid? AgreementId, Guid? KeySetId, IReadOnlyList<Guid>? CohortIds, IReadOnlyList<FilterCondition>? Filter, AggregationSpec? Aggregation);

/// <param name="Missed">The step whose deadline the node missed (<c>commitment</c>, <c>contribution</c> or <c>decryption share</c>), or <c>refused</c> when it refused the job by its own policy, when the job went on without it.</param>
public sealed record JobNodeResponse(Guid NodeId, string State, string? Missed = null);

/// <summary>
/// What a node is told after an upload: the job's step and its own state (never the result), and for a new upload the
/// platform's signed receipt of the audit event that records it (absent when the same upload was sent again).
/// </summary>
public sealed record NodeJobResponse(
    Guid JobId, string Status, string State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Audit.AuditReceipt? Receipt = null);

/// <summary>
/// A participant node's refusal of a job's task by one of its own checks: the round it refused and the rule, in its
/// words, with the key of the node policy's rule when a policy rule refused it (<c>deny.researchers</c>, <c>minSites</c>).
/// </summary>
public sealed record JobRefusal(int? Round, string? Reason, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Rule = null)
{
    /// <summary>The longest reason a node may give.</summary>
    public const int MaxReason = 1000;

    /// <summary>The longest rule key a node may give.</summary>
    public const int MaxRule = 100;
}

/// <param name="NoiseScale">In a differentially private release, the standard deviation of the noise in <paramref name="Value"/> (for a mean or variance, its delta-method approximation).</param>
/// <param name="Interval">In a differentially private release, the 95% interval of the noise around <paramref name="Value"/>.</param>
public sealed record ResultCell(IReadOnlyDictionary<string, string> Group, double? Value, bool Suppressed, double? NoiseScale = null, ResultInterval? Interval = null);

public sealed record ResultInterval(double Low, double High);

/// <param name="ReleaseMode"><c>dp</c> (noise added under encryption) or <c>exact</c>.</param>
/// <param name="Rho">The zCDP budget the release spent, for a <c>dp</c> release.</param>
/// <param name="Clipped">For a variable with declared bounds: how many values the nodes clipped to them (noisy too, in a <c>dp</c> release).</param>
/// <param name="Missing">In an exact release of any kind but count: how many selected records lacked the value or fell in no bin or category, under disclosure control like the cells.</param>
/// <param name="Contributors">The nodes whose contributions are in the result (the job's nodes' states say why any other is not).</param>
/// <param name="Model">For a <c>glm</c>, the fitted model's table (its <paramref name="Cells"/> are empty).</param>
public sealed record JobResult(
    string Kind, IReadOnlyList<ResultCell> Cells, DateTimeOffset ReleasedAt, string ReleaseMode = "exact", double? Rho = null, ResultCell? Clipped = null,
    ResultCell? Missing = null, IReadOnlyList<Guid>? Contributors = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Models.ModelTable? Model = null);

/// <param name="Iteration">For a <c>glm</c>, the round of iteratively reweighted least squares the job is in (from 1), or took once released.</param>
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
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Iteration = null);

/// <summary>The first round of a contribution: the node's signed commitment to the ciphertext it will reveal.</summary>
/// <param name="Digest">Lowercase hex SHA-256 of the serialized ciphertext vector.</param>
/// <param name="Signature">Base64 of the node's identity-key signature over <see cref="SignedStatements.Commitment"/>.</param>
public sealed record CommitmentUpload(string? Digest, string? Signature);

/// <param name="Ciphertext">Base64 of the serialized encrypted local vector (a ciphertext vector); its SHA-256 must be the node's commitment.</param>
public sealed record ContributionUpload(string? Ciphertext);

/// <param name="Share">Base64 of the serialized decryption share for the aggregate named in the task.</param>
/// <param name="Signature">Base64 of the node's identity-key signature over <see cref="SignedStatements.DecryptionShare"/>.</param>
public sealed record DecryptionShareUpload(string? Share, string? Signature = null);

/// <summary>A participant's commitment as every other participant sees it, to check before relying on it.</summary>
/// <param name="Digest">Lowercase hex SHA-256 of the ciphertext the node committed to.</param>
/// <param name="Signature">Base64 of its signature over <see cref="SignedStatements.Commitment"/>.</param>
public sealed record SignedCommitment(Guid NodeId, string Digest, string Signature);
