using System.Linq.Expressions;

namespace Dragon.Platform.Jobs;

/// <summary>
/// The one list of a job's moves. A job is queued, then its nodes commit to their encrypted contributions, reveal
/// them, the platform sums them, the nodes decrypt the sum, and it is released:
/// <c>queued → committing → collecting → aggregating → decrypting → released</c>; a model (<c>glm</c>) goes from
/// decrypting back to committing once per round of its fit (<see cref="NextRound"/>). Each move is a conditional update
/// from the status before (so of two hosts or retries one wins), made by the step named beside it; any unfinished
/// job can instead fail (a deadline, a wrong share, a spent budget) or be cancelled.
/// </summary>
public static class JobStateMachine
{
    /// <summary>The status each step moves a job to once its work is done.</summary>
    public static IReadOnlyDictionary<JobStatus, JobStatus> Next { get; } = new Dictionary<JobStatus, JobStatus>
    {
        [JobStatus.Queued] = JobStatus.Committing,       // JobEngine.StartAsync: the nodes' tasks are published
        [JobStatus.Committing] = JobStatus.Collecting,   // JobUploads: the last participant's signed commitment is in
        [JobStatus.Collecting] = JobStatus.Aggregating,  // JobUploads: the last committed ciphertext is revealed
        [JobStatus.Aggregating] = JobStatus.Decrypting,  // JobEngine.AggregateAsync: the sum is stored
        [JobStatus.Decrypting] = JobStatus.Released,     // JobEngine.ReleaseAsync: shares combined, disclosure control applied
    };

    /// <summary>
    /// Where a model's decrypted round goes when its fit has not converged: back to committing, for the next round at new
    /// coefficients (<see cref="ModelRounds.StartNextAsync"/>), so <c>decrypting → committing</c> repeats until release.
    /// </summary>
    public static JobStatus NextRound => JobStatus.Committing;

    /// <summary>The steps at which the job waits for its nodes, and so has a deadline.</summary>
    public static bool WaitsForNodes(JobStatus status) => status is JobStatus.Committing or JobStatus.Collecting or JobStatus.Decrypting;

    public static Expression<Func<Job, bool>> IsUnfinished { get; } =
        j => j.Status != JobStatus.Released && j.Status != JobStatus.Failed && j.Status != JobStatus.Cancelled;
}
