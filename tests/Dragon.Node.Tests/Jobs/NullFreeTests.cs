using Dragon.Contracts.Jobs;
using Dragon.Node.Jobs;

namespace Dragon.Node.Tests.Jobs;

/// <summary>A task with a null where its contract declares none is found, with the path to it; declared-optional nulls are not.</summary>
public sealed class NullFreeTests
{
    private static readonly JobTaskSpec Manifest = new(Guid.NewGuid(), Guid.NewGuid(), [Guid.NewGuid()], "DUO:0000006", [], new AggregationSpec("count"), 1, 0, 1, [Guid.NewGuid()]);

    private static readonly NodeTask Task = new("decryptionShare", Guid.NewGuid(), "bfv-8192", "c2VlZA==", Manifest.JobId, Manifest,
        ["YQ=="], "YQ==", Commitments: [new SignedCommitment(Guid.NewGuid(), new string('0', 64), "c2ln")]);

    [Fact]
    public void AWellFormedTask_WithItsOptionalFieldsNull_HasNone() => Assert.Null(NullFree.FirstNull(Task));

    [Fact]
    public void ANullRequiredField_IsFoundByItsPath()
    {
        Assert.Equal("job.aggregation", NullFree.FirstNull(Task with { Job = Manifest with { Aggregation = null! } }));
        Assert.Equal("job.purpose", NullFree.FirstNull(Task with { Job = Manifest with { Purpose = null! } }));
        Assert.Equal("kind", NullFree.FirstNull(Task with { Kind = null! }));
    }

    [Fact]
    public void ANullListElement_IsFoundByItsIndex()
    {
        Assert.Equal("commitments[1]", NullFree.FirstNull(Task with { Commitments = [Task.Commitments![0], null!] }));
        Assert.Equal("contributions[0]", NullFree.FirstNull(Task with { Contributions = [null!] }));
        Assert.Equal("job.filter[0]", NullFree.FirstNull(Task with { Job = Manifest with { Filter = [null!] } }));
    }
}
