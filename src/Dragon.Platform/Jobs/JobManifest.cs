using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;
using Dragon.Contracts.Privacy;
using Dragon.Homomorphic;

namespace Dragon.Platform.Jobs;

/// <summary>
/// The manifest every participant of a job is shown, built from the stored job alone, so the platform serves the same
/// bytes to every node and checks commitments against the same digest (<see cref="JobManifests.Digest"/>).
/// </summary>
public static class JobManifest
{
    /// <param name="participants">The round's participants in node order (<see cref="Participants(Job, IEnumerable{JobNode})"/>).</param>
    public static JobTaskSpec For(Job job, string purpose, IReadOnlyList<Guid> participants)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(participants);
        return new JobTaskSpec(job.Id, job.KeySetId, job.CohortIds, purpose,
            JsonSerializer.Deserialize<List<FilterCondition>>(job.Filter, DragonJson.Options) ?? [],
            JsonSerializer.Deserialize<AggregationSpec>(job.Aggregation, DragonJson.Options)!,
            job.VectorLength, job.DecimalPlaces, participants.Count, participants, SubmittedVariables(job), new JobPrivacy(job.ReleaseMode, job.Rho, Checks(job)),
            job.Round > 0 && job.MinContributors is not null ? participants.Count : job.MinContributors, Progress(job),
            job.Requester is null ? null : JsonSerializer.Deserialize<JobRequester>(job.Requester, DragonJson.Options), job.MinCellCount);
    }

    /// <summary>The participating nodes in node order (ordered here, not by a database: each orders GUIDs its own way), the order contributions are summed in.</summary>
    public static List<Guid> Participants(IEnumerable<Guid> nodeIds) => [.. nodeIds.Order()];

    /// <summary>
    /// The participants of the job's current round: all its nodes in round 0; in a model's later rounds those that
    /// contributed to the first (a node left out of round 0 stays out: two rounds with and without it would tell its sums apart).
    /// </summary>
    public static List<Guid> Participants(Job job, IEnumerable<JobNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Participants(nodes.Where(n => job.Round == 0 || n.Missed is null).Select(n => n.NodeId));
    }

    /// <summary>For a model, the coefficients its current round evaluates; null for other kinds.</summary>
    public static GlmProgress? Progress(Job job) =>
        job.Model is null ? null : JsonSerializer.Deserialize<GlmProgress>(job.Model, DragonJson.Options);

    /// <summary>How the job's numbers are spread over plaintext slots under its key set (the nodes derive the same).</summary>
    public static SlotLimbs Limbs(EncryptionParameters parameters, int members, string? kind) =>
        SlotLimbs.For(new IntegerEncoder(parameters).MaxValue, members, kind);

    public static ExactChecks? Checks(Job job) =>
        job.ExactChecks is null ? null : JsonSerializer.Deserialize<ExactChecks>(job.ExactChecks, DragonJson.Options);

    /// <summary>The variables as they were when the job was submitted; null for jobs stored before they were kept.</summary>
    public static List<LayoutVariable>? SubmittedVariables(Job job) =>
        job.LayoutVariables is null ? null : JsonSerializer.Deserialize<List<LayoutVariable>>(job.LayoutVariables, DragonJson.Options);
}
