using Dragon.Platform.Common;

namespace Dragon.Platform.Jobs;

public static class JobErrors
{
    public static DomainError NotFound(Guid id) => new(ErrorKind.NotFound, "job.not_found", $"Job {id} does not exist.");

    /// <summary>An upload (<c>digest</c> of a commitment, <c>ciphertext</c> or <c>share</c>) at a step of the job that does not take it.</summary>
    public static DomainError WrongStep(JobStatus status, string field) => field switch
    {
        "digest" => new(ErrorKind.Conflict, "job.not_committing", $"The job is {status}; it takes no commitments now."),
        "ciphertext" => new(ErrorKind.Conflict, "job.not_collecting", $"The job is {status}; it takes no contributions now (they are taken once every node has committed)."),
        _ => new(ErrorKind.Conflict, "job.not_decrypting", $"The job is {status}; it takes no decryption shares now."),
    };

    public static DomainError NotAsked(JobNode node) => new(ErrorKind.Conflict, "job.node_not_asked", node.Missed is { } step
        ? $"This node missed the job's {step} deadline and the job went on without it; it takes nothing more from this node."
        : "This node is not in the job's decryption subset: the job takes decryption shares only from the nodes its task names.");

    public static DomainError AlreadyUploaded() =>
        new(ErrorKind.Conflict, "job.already_uploaded", "This node already uploaded a different value for this step; uploads cannot be replaced.");

    public static DomainError AgreementBudgetSpent(double cost, double left) => new(ErrorKind.Conflict, "agreement.budget_spent",
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"The agreement's privacy budget cannot pay for this job: it costs {cost:0.###} and {Math.Max(left, 0):0.###} is left (unfinished jobs are charged already; one that ends before any decryption share gives its charge back)."));

    public static DomainError ResearcherCohortBudgetSpent(string cohort, double cost, double left) => new(ErrorKind.Conflict, "researcher.cohort_budget_spent",
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Your privacy budget on cohort '{cohort}', across all of your agreements, cannot pay for this job: it costs {cost:0.###} and {Math.Max(left, 0):0.###} is left."));

    public static DomainError OtherRound(int round) => new(ErrorKind.Conflict, "job.other_round", $"The job is in round {round}; a refusal names the round of the task refused.");

    public static DomainError Finished(JobStatus status) => new(ErrorKind.Conflict, "job.finished", $"The job is already {status}.");

    public static DomainError InvalidUpload(string field, string reason) =>
        DomainError.Invalid(new Dictionary<string, string[]> { [field] = [reason] });
}
