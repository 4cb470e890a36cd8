using CsCheck;
using Dragon.Contracts.Jobs;
using Xunit.Abstractions;

namespace Dragon.Node.Tests.Jobs;

/// <summary>
/// The one place that checks a task (<see cref="Dragon.Node.Jobs.TaskVerifier"/>), fuzzed through the real agent: for
/// each generated change a hostile platform could make to a decryption task (<see cref="TaskMutations"/>), served as the
/// first decryption task of a fresh job, the agent's round ends normally, the node's secret is unchanged, and every
/// decryption share it has ever uploaded, for any job, decrypts with the honest peers' shares of that job's honest
/// aggregate to the honest sum: whatever the platform changes, it gets a share of the sum the nodes committed to, or none.
/// <c>DRAGON_FUZZ_TASKS</c> sets how many (each a job: commit, reveal, decrypt).
/// </summary>
public sealed class HostileTaskFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly int Tasks = int.TryParse(Environment.GetEnvironmentVariable("DRAGON_FUZZ_TASKS"), out var count) && count > 0 ? count : 40;

    private NodeUnderAttack _node = null!;
    private byte[] _secret = [];
    private readonly Dictionary<Guid, byte[]> _aggregates = [];

    public async Task InitializeAsync()
    {
        _node = await NodeUnderAttack.StartAsync();
        await _node.CeremonyAsync();
        _secret = _node.SecretFile();
    }

    public Task DisposeAsync()
    {
        _node.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void ChangedDecryptionTasks_GetAShareOfTheHonestSumOrNone()
    {
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        TaskMutations.Choices.Sample(choice =>
        {
            var outcome = Task.Run(() => ServeChangedAsync(choice)).GetAwaiter().GetResult();
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }, iter: Tasks, threads: 1);

        output.WriteLine($"{Tasks} changed decryption tasks: {string.Join(", ", outcomes.Select(o => $"{o.Key} x{o.Value}"))}");
        Assert.True(outcomes.GetValueOrDefault("refused") > Tasks / 2, "most changes should be refused; the generator barely reaches the checks");
    }

    private async Task<string> ServeChangedAsync((int At, int Choice, int Detail) choice)
    {
        var job = await _node.HonestJobUntilDecryptionAsync();
        _aggregates[job.Manifest.JobId] = job.Aggregate;
        List<Guid> known = [_node.NodeId, .. _node.Peers.Select(p => p.NodeId), _node.KeySetId, .. _aggregates.Keys, .. job.Manifest.CohortIds];
        var (mutation, task) = TaskMutations.Apply(_node.DecryptionTask(job), known, choice);
        if (task is null)
        {
            return "unreadable";
        }

        await _node.ServeAsync(task);

        Assert.Equal(_secret, _node.SecretFile());
        foreach (var (jobId, aggregate) in _aggregates)
        {
            foreach (var share in _node.DecryptionShares(jobId))
            {
                Assert.True(_node.Decrypt(aggregate, share) == 12, $"After '{mutation}' a share for job {jobId} does not decrypt the honest sum.\n{_node.Log}");
            }
        }
        return _node.DecryptionShares(job.Manifest.JobId).Count > 0 ? "answered" : "refused";
    }
}
