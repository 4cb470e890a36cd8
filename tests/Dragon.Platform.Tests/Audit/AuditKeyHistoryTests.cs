using Dragon.Platform.Audit;

namespace Dragon.Platform.Tests.Audit;

public sealed class AuditKeyHistoryTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dragon-key-history-");

    [Fact]
    public void TwoHostsSharingTheHistory_NeverMoveTheLastSignedCheckpointBack()
    {
        using var key = AuditSigningKey.LoadOrCreate(Path.Combine(_folder.FullName, "audit-signing-key.pem"));
        var path = Path.Combine(_folder.FullName, "history.json");
        var first = AuditKeyHistory.Open(path, key, DateTimeOffset.UtcNow);
        var second = AuditKeyHistory.Open(path, key, DateTimeOffset.UtcNow);

        first.RecordSigned(key.KeyId, 10, "hash-10");
        second.RecordSigned(key.KeyId, 5, "hash-5");

        var reopened = AuditKeyHistory.Open(path, key, DateTimeOffset.UtcNow);
        Assert.Equal(new AuditSignedPoint(10, "hash-10"), reopened.LastSigned);
        Assert.Equal(new AuditSignedPoint(10, "hash-10"), second.LastSigned);
        Assert.Equal(10, Assert.Single(reopened.Keys).LastSignedSequence);

        second.RecordSigned(key.KeyId, 12, "hash-12");

        Assert.Equal(new AuditSignedPoint(12, "hash-12"), AuditKeyHistory.Open(path, key, DateTimeOffset.UtcNow).LastSigned);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
