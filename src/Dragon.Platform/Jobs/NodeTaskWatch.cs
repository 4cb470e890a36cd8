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
        return new NodeTaskFingerprint(
            owedJobs.Count + owedKeySets.Count,
            string.Join(",", [.. owedKeySets.Select(k => $"{k.Id:N}:{k.Status}"), .. owedJobs.Select(j => $"{j.Id:N}:{j.Status}:{j.Round}")]));
    }
}

/// <param name="Tasks">How many tasks the node has.</param>
/// <param name="Value">Which: equal values mean nothing changed for the node.</param>
public sealed record NodeTaskFingerprint(int Tasks, string Value);
