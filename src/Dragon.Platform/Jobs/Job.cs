namespace Dragon.Platform.Jobs;

/// <summary>A job's statuses; <see cref="JobStateMachine"/> lists the moves between them.</summary>
public enum JobStatus
{
    Queued,
    /// <summary>Nodes upload signed commitments to their ciphertexts.</summary>
    Committing,
    /// <summary>Every commitment is in: nodes reveal the ciphertexts they committed to.</summary>
    Collecting,
    Aggregating,
    Decrypting,
    Released,
    Failed,
    Cancelled,
}

public enum JobNodeState
{
    Pending,
    Committed,
    Contributed,
    ShareSubmitted,
}

/// <summary>An encrypted aggregation job; its whole state lives here, so a restarted platform resumes it.</summary>
public sealed class Job
{
    public Guid Id { get; init; }
    public Guid AgreementId { get; init; }
    public Guid KeySetId { get; init; }
    public Guid ResearcherId { get; init; }
    /// <summary>JSON of the <see cref="Dragon.Contracts.Jobs.JobRequester"/> the manifest shows, fixed at submission; null for jobs stored before.</summary>
    public string? Requester { get; init; }
    /// <summary>The smallest cell the platform releases for this job, fixed at submission; null for jobs stored before.</summary>
    public int? MinCellCount { get; init; }
    public List<Guid> CohortIds { get; init; } = [];
    /// <summary>The filter conditions as JSON (the API's shape).</summary>
    public required string Filter { get; init; }
    /// <summary>The aggregation as JSON (the API's shape).</summary>
    public required string Aggregation { get; init; }
    /// <summary>
    /// The variables the layout was built from, as JSON, taken at submission: the release decodes with these even if
    /// a cohort's definition changes while the job runs. Null for jobs stored before it existed.
    /// </summary>
    public string? LayoutVariables { get; init; }
    /// <summary>The released layout's numbers and, for an exact job, its checks after them (<see cref="Dragon.Contracts.Privacy.ExactCheckSlots"/>).</summary>
    public int VectorLength { get; set; }
    public int DecimalPlaces { get; init; }
    public JobStatus Status { get; set; }
    public string? Failure { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the nodes' step must be done; a t-of-N job that goes on without some nodes gets a new one for its next step.</summary>
    public DateTimeOffset Deadline { get; set; }
    public byte[]? Aggregate { get; set; }
    /// <summary><c>dp</c> or <c>exact</c> (<see cref="Dragon.Contracts.Privacy.ReleaseModes"/>), the agreement's at submission.</summary>
    public string ReleaseMode { get; init; } = Dragon.Contracts.Privacy.ReleaseModes.Exact;
    /// <summary>
    /// For an exact job, the <see cref="Dragon.Contracts.Privacy.ExactChecks"/> its nodes compute, as JSON, taken at
    /// submission; null for a differentially private job and for jobs stored before they existed.
    /// </summary>
    public string? ExactChecks { get; set; }
    /// <summary>The zCDP budget the job's release spends, which its noise is calibrated to; it stays when the charge is given back.</summary>
    public double Rho { get; init; }
    /// <summary>What the job's submission charged to its agreement and to its researcher's budget on each of its cohorts; 0 once given back.</summary>
    public double BudgetCharged { get; set; }
    /// <summary>
    /// Under a t-of-N key set, the fewest nodes the job goes on with when others miss a step's deadline (the larger of
    /// the threshold and the policy's minSites); null when every node must take part.
    /// </summary>
    public int? MinContributors { get; init; }
    /// <summary>The round the job is in: 0, and for a model one more for every round of iteratively reweighted least squares after the first.</summary>
    public int Round { get; set; }
    /// <summary>For a model, where its fit stands as JSON (<see cref="Dragon.Contracts.Models.GlmProgress"/>): the coefficients the current round evaluates.</summary>
    public string? Model { get; set; }
    /// <summary>
    /// For a model past its first round, the previous round's aggregate and signed decryption shares as JSON
    /// (<see cref="Dragon.Contracts.Jobs.PriorRound"/>), which every node checks its next coefficients against.
    /// </summary>
    public string? PriorRound { get; set; }
    /// <summary>The released result as JSON (the API's shape).</summary>
    public string? Result { get; set; }
    public List<JobNode> Nodes { get; init; } = [];

    public bool IsFinished => Status is JobStatus.Released or JobStatus.Failed or JobStatus.Cancelled;
}

/// <summary>A node's part in a job: its signed commitment, the contribution that matches it, and its signed decryption share.</summary>
public sealed class JobNode
{
    public Guid JobId { get; init; }
    public Guid NodeId { get; init; }
    public JobNodeState State { get; set; }
    /// <summary>SHA-256 of the ciphertext the node committed to.</summary>
    public byte[]? Commitment { get; set; }
    public byte[]? CommitmentSignature { get; set; }
    public byte[]? Contribution { get; set; }
    public byte[]? DecryptionShare { get; set; }
    public byte[]? DecryptionShareSignature { get; set; }
    /// <summary>The step whose deadline the node missed, when the job went on without it (<see cref="JobSteps"/>).</summary>
    public string? Missed { get; set; }
    /// <summary>A contributor not in the current decryption subset of a t-of-N job: not asked for a share unless the subset changes.</summary>
    public bool StandsBy { get; set; }

    /// <summary>Whether the node is asked for the job's current step: it missed none, and is in the decryption subset.</summary>
    public bool IsAsked => Missed is null && !StandsBy;
}

/// <summary>The names of the steps a node can miss, as jobs and their audit events show them.</summary>
public static class JobSteps
{
    public const string Commitment = "commitment";
    public const string Contribution = "contribution";
    public const string DecryptionShare = "decryption share";
    /// <summary>Not a deadline: the node refused the job by its own policy and the job went on without it.</summary>
    public const string Refused = "refused";
}
