using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Platform.Common;
using Dragon.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Jobs;

/// <summary>
/// The job tasks a node owes, in the one task format: the job's manifest at every step, every participant's signed
/// commitment once all are in, and for decryption the sum (under a t-of-N key set, with the subset whose shares are
/// combined); a model's later rounds begin with the previous round's aggregate and shares. The contributions a decryption
/// sums are not in the task: the node fetches them as binary (<see cref="ContributionsAsync"/>) when it acts on it, so
/// the task list a node reads at every wake-up stays small.
/// </summary>
public sealed class JobNodeTasks(DragonDbContext db, TimeProvider time)
{
    /// <summary>The most job tasks one poll carries, oldest first; a node with more gets the rest as it finishes these.</summary>
    public const int MaxTasks = 50;

    /// <summary>
    /// The jobs that owe the node a step now, oldest first, at most <see cref="MaxTasks"/>: of agreements in force (not
    /// revoked, not past their expiry even before the expiry job marks them).
    /// </summary>
    public IQueryable<Job> Owed(Guid nodeId)
    {
        var now = Common.Clock.UtcNow(time);
        return db.Jobs.AsNoTracking()
            .Where(j => db.Agreements.Any(a => a.Id == j.AgreementId && a.Status == Access.AgreementStatus.Active && a.ExpiresAt > now))
            .Where(j => (j.Status == JobStatus.Committing && j.Nodes.Any(n => n.NodeId == nodeId && n.Commitment == null && n.Missed == null))
                || (j.Status == JobStatus.Collecting && j.Nodes.Any(n => n.NodeId == nodeId && n.Contribution == null && n.Missed == null))
                || (j.Status == JobStatus.Decrypting && j.Nodes.Any(n => n.NodeId == nodeId && n.DecryptionShare == null && n.Missed == null && !n.StandsBy)))
            .OrderBy(j => j.CreatedAt)
            .Take(MaxTasks);
    }

    /// <summary>The node's tasks, one per job of <see cref="Owed"/>.</summary>
    public async Task<IReadOnlyList<NodeTask>> ForNodeAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        var jobs = await Owed(nodeId).ToListAsync(cancellationToken);
        var jobIds = jobs.Select(j => j.Id).ToList();
        var participants = (await db.JobNodes.Where(n => jobIds.Contains(n.JobId))
                .Select(n => new JobNode
                {
                    JobId = n.JobId, NodeId = n.NodeId, Commitment = n.Commitment, CommitmentSignature = n.CommitmentSignature, Missed = n.Missed, StandsBy = n.StandsBy,
                    State = n.State,
                })
                .ToListAsync(cancellationToken))
            .ToLookup(n => n.JobId);
        var keySetIds = jobs.Select(j => j.KeySetId).Distinct().ToList();
        var keySets = await db.KeySets.AsNoTracking().Where(k => keySetIds.Contains(k.Id))
            .ToDictionaryAsync(k => k.Id, k => (k.Parameters, Seed: Convert.ToBase64String(k.CommonSeed)), cancellationToken);
        var agreementIds = jobs.Select(j => j.AgreementId).Distinct().ToList();
        var purposes = await db.Agreements.Where(a => agreementIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Purpose, cancellationToken);
        var tasks = new List<NodeTask>();
        foreach (var job in jobs)
        {
            var (parameters, seed) = keySets[job.KeySetId];
            var nodes = participants[job.Id].OrderBy(n => n.NodeId).ToList();
            var manifest = JobManifest.For(job, purposes[job.AgreementId], JobManifest.Participants(job, nodes));
            if (job.Status == JobStatus.Committing)
            {
                var prior = job.PriorRound is null ? null : JsonSerializer.Deserialize<PriorRound>(job.PriorRound, DragonJson.Options);
                tasks.Add(new NodeTask("commitment", job.KeySetId, parameters, seed, job.Id, manifest, Round: job.Round, PriorRound: prior));
                continue;
            }
            // Collecting: the commitments of the nodes the job goes on with; decrypting: those of its contributors (a node
            // that missed the decryption deadline contributed all the same). A job started before commitments existed has
            // none; its nodes refuse it, and its deadline fails it.
            var contributors = nodes.Where(n => job.Status == JobStatus.Collecting ? n.Missed is null : n.State is JobNodeState.Contributed or JobNodeState.ShareSubmitted).ToList();
            List<SignedCommitment> commitments = [.. contributors.Where(n => n.Commitment is not null && n.CommitmentSignature is not null)
                .Select(n => new SignedCommitment(n.NodeId, Convert.ToHexStringLower(n.Commitment!), Convert.ToBase64String(n.CommitmentSignature!)))];
            if (job.Status == JobStatus.Collecting)
            {
                tasks.Add(new NodeTask("contribution", job.KeySetId, parameters, seed, job.Id, manifest, Round: job.Round, Commitments: commitments));
                continue;
            }
            // Lean: the aggregate and the signed commitments; the node fetches the contributions themselves as binary
            // (ContributionsAsync) only when it acts on the task.
            List<Guid>? subset = job.MinContributors is null ? null : [.. contributors.Where(n => n.IsAsked).Select(n => n.NodeId)];
            tasks.Add(new NodeTask("decryptionShare", job.KeySetId, parameters, seed, job.Id, manifest, null, Convert.ToBase64String(job.Aggregate!),
                job.Round, commitments, subset));
        }
        return tasks;
    }

    /// <summary>
    /// The contributions a decrypting job's aggregate sums, in node order, as <see cref="CiphertextFrames"/>: for the job's
    /// nodes only, while it decrypts (a node checks the aggregate against them before it gives its share).
    /// </summary>
    public async Task<Result<byte[]>> ContributionsAsync(Guid jobId, Guid nodeId, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId && j.Nodes.Any(n => n.NodeId == nodeId))
            .Select(j => new { j.Status }).SingleOrDefaultAsync(cancellationToken);
        if (job is null)
        {
            return JobErrors.NotFound(jobId);
        }
        if (job.Status != JobStatus.Decrypting)
        {
            return new DomainError(ErrorKind.Conflict, "job.not_decrypting", $"Job {jobId} is not decrypting: its contributions are served only while its nodes check the aggregate.");
        }
        var contributions = await db.JobNodes.AsNoTracking().Where(n => n.JobId == jobId && n.Contribution != null)
            .OrderBy(n => n.NodeId).Select(n => n.Contribution!).ToListAsync(cancellationToken);
        return CiphertextFrames.Write(contributions);
    }
}
