using Dragon.Contracts.Consent;
using Dragon.Node.Agent;
using Dragon.Node.State;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Agent;

public sealed class ConsentStoreTests : IDisposable
{
    private static readonly Guid Cohort = Guid.Parse("5b0c6f3e-1f7a-4d8e-9a51-3f2c7e0d9b11");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Apply_ChangesInOrder_KeepsTheLatestVersionAndTheCursorAcrossReopening()
    {
        var folder = StateFolder.Create(_temp.Combine("state"));
        var store = ConsentStore.Open(folder);

        var applied = store.Apply(new ConsentFeed([Change(2, "pt-1", 2, "withdrawn"), Change(1, "pt-1", 1, "granted"), Change(3, "pt-2", 1, "granted")], 3));

        Assert.Equal(3, applied);
        var reopened = ConsentStore.Open(folder);
        Assert.Equal(3, reopened.Cursor);
        Assert.Equal("withdrawn", reopened.Find(Cohort, "pt-1")!.Status);
        Assert.Equal(["DUO:0000042"], reopened.Find(Cohort, "pt-2")!.Purposes);
        Assert.Null(reopened.Find(Cohort, "pt-3"));
    }

    [Fact]
    public void Apply_AChangeAtOrBeforeTheCursor_IsAppliedOnlyOnce()
    {
        var store = ConsentStore.Open(StateFolder.Create(_temp.Combine("state")));
        store.Apply(new ConsentFeed([Change(5, "pt-1", 3, "withdrawn")], 5));

        var applied = store.Apply(new ConsentFeed([Change(4, "pt-1", 2, "granted"), Change(5, "pt-1", 3, "withdrawn")], 5));

        Assert.Equal(0, applied);
        Assert.Equal("withdrawn", store.Find(Cohort, "pt-1")!.Status);
    }

    [Fact]
    public void Apply_WhenThePageMovesNothing_LeavesTheFileAlone()
    {
        var folder = StateFolder.Create(_temp.Combine("state"));
        var store = ConsentStore.Open(folder);
        store.Apply(new ConsentFeed([Change(1, "pt-1", 1, "granted")], 1));
        var file = Path.Combine(folder.Path, ConsentStore.FileName);
        File.Delete(file);

        var applied = store.Apply(new ConsentFeed([], 1));

        Assert.Equal(0, applied);
        Assert.False(File.Exists(file));
        store.Apply(new ConsentFeed([], 2));
        Assert.Equal(2, ConsentStore.Open(folder).Cursor);
    }

    [Fact]
    public void Apply_WritesTheStoreOwnerOnly()
    {
        var folder = StateFolder.Create(_temp.Combine("state"));
        ConsentStore.Open(folder).Apply(new ConsentFeed([Change(1, "pt-1", 1, "granted")], 1));

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder.Path, ConsentStore.FileName)));
        }
    }

    private static ConsentChange Change(long cursor, string subject, int version, string status) =>
        new(cursor, Guid.NewGuid(), Cohort, subject, version, status, ["DUO:0000042"], DateTimeOffset.UtcNow);
}
