using System.Security.Cryptography;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Contracts.Models;
using Dragon.Contracts.Privacy;
using Dragon.Platform.Audit;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Jobs;

/// <summary>
/// The rounds of a model (<c>glm</c>): each round is a whole commit, reveal, sum and decrypt cycle at the coefficients
/// of <see cref="Job.Model"/>; once decrypted, <see cref="GlmIteration"/> says whether the fit has converged (the job
/// is released with its table), failed (a disclosure rule, separation, no convergence), or needs another round, which
/// <see cref="StartNextAsync"/> starts: <c>decrypting → committing</c> at the next coefficients, with the round's
/// aggregate and shares kept for the nodes to check those coefficients against.
/// </summary>
public sealed class ModelRounds(DragonDbContext db, AuditTrail audit, JobOptions options)
{
    /// <summary>
    /// A model's query with its defaults written in (canonical link, iterations, tolerance), as it is stored and shown to
    /// nodes; other kinds as they are. A differentially private model runs exactly its iterations, fewer by default
    /// (<see cref="GlmIteration.DefaultPrivateIterations"/>), and has no tolerance.
    /// </summary>
    public static AggregationSpec WithDefaults(AggregationSpec spec, string releaseMode)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kind != "glm")
        {
            return spec;
        }
        var family = GlmFamily.Find(spec.Family, spec.Link)!;
        return releaseMode == ReleaseModes.Dp
            ? spec with { Link = family.Link, MaxIterations = spec.MaxIterations ?? GlmIteration.DefaultPrivateIterations(family), Tolerance = null }
            : spec with { Link = family.Link, MaxIterations = spec.MaxIterations ?? GlmIteration.DefaultMaxIterations, Tolerance = spec.Tolerance ?? GlmIteration.DefaultTolerance };
    }

    /// <summary>The rounds a job's submission charges its budget for: each round of a differentially private model is a release.</summary>
    public static int ChargedRounds(AggregationSpec spec, string releaseMode)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return releaseMode == ReleaseModes.Dp ? NoiseCalibration.Releases(spec) : 1;
    }

    /// <summary>What the decrypted round of a model leads to; for a differentially private one, with the noise its nodes calibrated to the round.</summary>
    public static GlmOutcome After(Job job, AggregationSpec spec, Dictionary<string, LayoutVariable> variables, long[] vector, GlmRules rules)
    {
        ArgumentNullException.ThrowIfNull(job);
        var design = GlmDesign.For(spec, variables);
        var progress = JobManifest.Progress(job) ?? throw new InvalidOperationException($"jobs.model_without_progress: job {job.Id} is a model with no coefficients stored.");
        var noise = job.ReleaseMode == ReleaseModes.Dp
            ? NoiseCalibration.TotalVariances(spec, variables, job.Rho, job.MinContributors ?? job.Nodes.Count, job.Nodes.Count(n => n.Contribution is not null), progress)
            : null;
        return GlmIteration.After(spec, design, progress, GlmSums.Read(GlmLayout.For(design), vector), rules, noise);
    }

    /// <summary>
    /// Moves the job from the decrypted round to the next, once (a conditional update on the round): its contributors are
    /// asked again from commitment on, the nodes left out stay out, and the step has a new deadline.
    /// </summary>
    /// <param name="asked">The nodes whose decryption shares decrypted the round, in node order.</param>
    public async Task StartNextAsync(Job job, GlmProgress next, IReadOnlyList<JobNode> asked, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(asked);
        var evidence = new PriorRound(Convert.ToBase64String(job.Aggregate!),
            [.. asked.Select(n => new SignedDecryptionShare(n.NodeId, Convert.ToBase64String(n.DecryptionShare!), Convert.ToBase64String(n.DecryptionShareSignature!)))]);
        var round = job.Round;
        var deadline = now + options.NodeDeadline;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.Jobs.Where(j => j.Id == job.Id && j.Status == JobStatus.Decrypting && j.Round == round).ExecuteUpdateAsync(set => set
            .SetProperty(j => j.Status, JobStateMachine.NextRound)
            .SetProperty(j => j.Round, round + 1)
            .SetProperty(j => j.Model, JsonSerializer.Serialize(next, DragonJson.Options))
            .SetProperty(j => j.PriorRound, JsonSerializer.Serialize(evidence, DragonJson.Options))
            .SetProperty(j => j.Aggregate, (byte[]?)null)
            .SetProperty(j => j.Deadline, deadline), cancellationToken);
        if (moved == 0)
        {
            return;
        }
        await db.JobNodes.Where(n => n.JobId == job.Id && n.Missed == null).ExecuteUpdateAsync(set => set
            .SetProperty(n => n.State, JobNodeState.Pending)
            .SetProperty(n => n.Commitment, (byte[]?)null)
            .SetProperty(n => n.CommitmentSignature, (byte[]?)null)
            .SetProperty(n => n.Contribution, (byte[]?)null)
            .SetProperty(n => n.DecryptionShare, (byte[]?)null)
            .SetProperty(n => n.DecryptionShareSignature, (byte[]?)null)
            .SetProperty(n => n.StandsBy, false), cancellationToken);
        var aggregateDigest = Convert.ToHexStringLower(SHA256.HashData(job.Aggregate!));
        (job.Status, job.Round) = (JobStateMachine.NextRound, round + 1);
        await audit.SaveChangesAsync(JobEvents.Of(AuditActor.System, AuditAction.Job_RoundCompleted, job,
            facts: [("round", round.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("sha256", aggregateDigest)]), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
