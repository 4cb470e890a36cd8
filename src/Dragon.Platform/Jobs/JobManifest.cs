using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Privacy;

namespace Dragon.Platform.Jobs;

/// <summary>
/// The manifest every participant of a job is shown, built from the stored job alone, so the platform serves the same
/// bytes to every node and checks commitments against the same digest (<see cref="JobManifests.Digest"/>).
/// </summary>
public static class JobManifest
{
    /// <param name="participants">The job's nodes in node order (<see cref="Participants"/>).</param>
    public static JobTaskSpec For(Job job, string purpose, IReadOnlyList<Guid> participants)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(participants);
        return new JobTaskSpec(job.Id, job.KeySetId, job.CohortIds, purpose,
            JsonSerializer.Deserialize<List<FilterCondition>>(job.Filter, DragonJson.Options) ?? [],
            JsonSerializer.Deserialize<AggregationSpec>(job.Aggregation, DragonJson.Options)!,
            job.VectorLength, job.DecimalPlaces, participants.Count, participants, SubmittedVariables(job), new JobPrivacy(job.ReleaseMode, job.Rho, Checks(job)),
            job.MinContributors);
    }

    /// <summary>The participating nodes in node order (ordered here, not by a database: each orders GUIDs its own way), the order contributions are summed in.</summary>
    public static List<Guid> Participants(IEnumerable<Guid> nodeIds) => [.. nodeIds.Order()];

    public static ExactChecks? Checks(Job job) =>
        job.ExactChecks is null ? null : JsonSerializer.Deserialize<ExactChecks>(job.ExactChecks, DragonJson.Options);

    /// <summary>The variables as they were when the job was submitted; null for jobs stored before they were kept.</summary>
    public static List<LayoutVariable>? SubmittedVariables(Job job) =>
        job.LayoutVariables is null ? null : JsonSerializer.Deserialize<List<LayoutVariable>>(job.LayoutVariables, DragonJson.Options);
}
