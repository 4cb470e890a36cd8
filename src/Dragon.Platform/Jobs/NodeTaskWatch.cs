using Microsoft.EntityFrameworkCore;

namespace Dragon.Platform.Jobs;

/// <summary>
/// What a node owes now, reduced to a fingerprint that changes whenever one of its tasks appears, moves to its next
/// step or goes away: the push channel compares fingerprints instead of building tasks. It reads the database, so it
/// sees the work of every platform host.
/// </summary>
public sealed class NodeTaskWatch(JobNodeTasks jobs, KeySets keySets)
{
    public async Task<NodeTaskFingerprint> FingerprintAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        var owedJobs = await jobs.Owed(nodeId).Select(j => new { j.Id, j.Status, j.Round }).ToListAsync(cancellationToken);
        var owedKeySets = await keySets.Owed(nodeId).Select(k => new { k.Id, k.Status }).ToListAsync(cancellationToken);
        return new NodeTaskFingerprint(new HashSet<string>([.. owedKeySets.Select(k => $"{k.Id:N}:{k.Status}"), .. owedJobs.Select(j => $"{j.Id:N}:{j.Status}:{j.Round}")], StringComparer.Ordinal));
    }
}

/// <param name="Steps">One entry per task: the job or key set and the step it is at.</param>
public sealed record NodeTaskFingerprint(IReadOnlySet<string> Steps)
{
    /// <summary>How many tasks the node has.</summary>
    public int Tasks => Steps.Count;

    /// <summary>
    /// Whether the node has work now that it did not have at <paramref name="before"/> (anything, when there was no
    /// before): a task that appeared or moved to its next step. A task that went away (most often because the node
    /// has just done it) is no reason to wake the node.
    /// </summary>
    public bool HasNewWorkSince(NodeTaskFingerprint? before) => before is null ? Tasks > 0 : !Steps.IsSubsetOf(before.Steps);
}
