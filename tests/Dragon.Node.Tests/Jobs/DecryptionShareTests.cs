using System.Security.Cryptography;
using System.Text.Json;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;
using Dragon.Node.Agent;
using Dragon.Node.Cli;
using Dragon.Node.Data;
using Dragon.Node.Jobs;
using Dragon.Node.Platform;
using Dragon.Node.State;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Jobs;

/// <summary>
/// The node's decryption share, with a real three-party key set and real ciphertexts: given only for an aggregate that
/// is the sum of the listed contributions, one of which is the node's own; otherwise refused before anything is sent.
/// </summary>
public sealed class DecryptionShareTests(ThreePartyJob job) : IClassFixture<ThreePartyJob>, IDisposable
{
    private static readonly Guid KeySetId = Guid.NewGuid();
    private static readonly Guid JobId = Guid.NewGuid();

    private readonly TempFolder _temp = new();
    private readonly RecordingHandler _platform = new();

    public void Dispose()
    {
        _platform.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Share_AggregateIsTheSumIncludingItsOwn_UploadsAShareThatDecryptsTheSum()
    {
        var tasks = NodeTasks(contributed: job.Contributions[0]);
        var aggregate = job.Sum([.. job.Contributions]);

        await tasks.ShareAsync(Task(job.Contributions, aggregate), CancellationToken.None);

        var (path, body) = Assert.Single(_platform.Requests);
        Assert.Equal($"/api/v1/jobs/{JobId}/decryption-shares", path);
        var upload = JsonSerializer.Deserialize<DecryptionShareUpload>(body, DragonJson.Options)!;
        var parameters = job.EncryptionParameters;
        var protocol = new DecryptionShareProtocol(parameters, ThreePartyJob.Parties, ThreePartyJob.Parties);
        var ciphertext = CiphertextVector.ReadFrom(aggregate, parameters);
        var shares = new[] { DecryptionShare.ReadFrom(Convert.FromBase64String(upload.Share!), parameters) }
            .Concat(job.SecretKeys.Skip(1).Select(key => protocol.GenShareNew(key, ciphertext)));
        var plain = protocol.Decrypt(ciphertext, protocol.AggregateSharesNew(shares), new IntegerEncoder(parameters));
        Assert.Equal([.. ThreePartyJob.Values.Aggregate((a, b) => [a[0] + b[0], a[1] + b[1]])], plain);
    }

    [Theory]
    [InlineData("another party's contribution alone")]
    [InlineData("the sum of two of the three listed")]
    [InlineData("the sum of all three, one of them not listed")]
    [InlineData("the sum of the listed plus one more")]
    public async Task Share_AggregateIsNotTheSumOfTheListedContributions_RefusesAndSendsNothing(string aggregateIs)
    {
        var (listed, aggregate) = aggregateIs switch
        {
            "another party's contribution alone" => (job.Contributions, job.Contributions[1]),
            "the sum of two of the three listed" => (job.Contributions, job.Sum(job.Contributions[0], job.Contributions[1])),
            "the sum of all three, one of them not listed" => ([job.Contributions[0], job.Contributions[1]], job.Sum([.. job.Contributions])),
            _ => (job.Contributions, job.Sum([.. job.Contributions, job.Stranger])),
        };
        var tasks = NodeTasks(contributed: job.Contributions[0]);

        var failure = await Assert.ThrowsAsync<NodeException>(() => tasks.ShareAsync(Task(listed, aggregate), CancellationToken.None));

        Assert.Equal("Refused: the aggregate is not the sum of the listed contributions.", failure.Message);
        Assert.Empty(_platform.Requests);
    }

    [Theory]
    [InlineData("replaced by another encryption")]
    [InlineData("never made")]
    public async Task Share_OwnContributionMissing_RefusesAndSendsNothing(string ownContribution)
    {
        var listed = new[] { job.Stranger, job.Contributions[1], job.Contributions[2] };
        var tasks = NodeTasks(contributed: ownContribution == "never made" ? null : job.Contributions[0]);

        var failure = await Assert.ThrowsAsync<NodeException>(() => tasks.ShareAsync(Task(listed, job.Sum(listed)), CancellationToken.None));

        Assert.Equal("Refused: this node's own contribution is not among the listed contributions.", failure.Message);
        Assert.Empty(_platform.Requests);
    }

    private NodeTask Task(IEnumerable<byte[]> contributions, byte[] aggregate) => new(
        "decryptionShare", KeySetId, ThreePartyJob.Parameters, job.CommonSeed, JobId,
        new JobTaskSpec([Guid.NewGuid()], "DUO:0000006", [], new AggregationSpec("sum", "age"), 2, 0, ThreePartyJob.Parties),
        [.. contributions.Select(Convert.ToBase64String)], Convert.ToBase64String(aggregate));

    /// <summary>The node of party 0: its secret key for the key set sealed in its state folder, and what it contributed to the job, if anything.</summary>
    private JobTasks NodeTasks(byte[]? contributed)
    {
        var folder = StateFolder.Create(_temp.Combine("state"));
        var environment = new Dictionary<string, string> { [StateKey.Variable] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        var state = new NodeState(new Uri("http://platform.test/"), Guid.NewGuid(), "node-client", new SealedSecret(StateKey.FromEnvironment, "", "", ""), new Dictionary<string, Guid>());
        var secrets = new KeyShareSecrets(folder, state, name => environment.GetValueOrDefault(name));
        secrets.Save(KeySetId, job.SecretKeys[0]);
        if (contributed is not null)
        {
            new OwnContributions(folder).Remember(JobId, contributed);
        }
        var platform = new PlatformClient(state.Platform, _platform);
        return new JobTasks(folder, platform, new Dictionary<Guid, ILocalDataSource>(), ConsentStore.Open(folder), secrets);
    }
}
