using Dragon.Contracts.Jobs;
using Dragon.Platform.Jobs;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Jobs;

/// <summary>
/// A job over the largest key set the noise analysis covers (<see cref="KeySets.MaxNodes"/>, crypto.md), through HTTP
/// with real encryption: 32 key shares, commitments, contributions and decryption shares. On SQLite only: the size is
/// what is tested here, and the providers' paths are the same as in <see cref="JobApiTests"/>.
/// </summary>
public sealed class LargestKeySetJobTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [Fact]
    public async Task ThirtyTwoNodes_ReleaseTheirPooledCount()
    {
        var s = await JobScenario.CreateAsync(fixture.Factory, nodes: KeySets.MaxNodes);
        long[][] counts = [.. Enumerable.Range(1, KeySets.MaxNodes).Select(i => new long[] { i * 1000L })];

        var job = await s.RunAsync(new AggregationSpec("count"), counts);

        Assert.Equal(counts.Sum(c => c[0]), Assert.Single(job.Result!.Cells).Value);
        Assert.Equal(KeySets.MaxNodes, job.Nodes.Count(n => n.State == "sharesubmitted"));
    }
}
