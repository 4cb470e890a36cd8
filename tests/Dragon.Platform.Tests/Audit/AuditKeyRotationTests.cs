using System.Net;
using Dragon.Contracts.Audit;
using Dragon.Platform.Audit;
using Dragon.Platform.Identity;
using Dragon.Platform.Persistence;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Audit;

/// <summary>
/// A new signing key retires the old one without orphaning its checkpoints: both are listed with their validity, each
/// checkpoint verifies by the key it names, a retired key cannot sign after its successor, and a host whose key history
/// was lost fails the checkpoints of keys it no longer knows.
/// </summary>
public sealed class AuditKeyRotationTests : IDisposable
{
    private readonly DragonApiFactory _first = DragonApiFactory.Create(DatabaseProvider.Sqlite);
    private DragonApiFactory? _second;

    private string OldKeyPath => Path.Combine(_first.Folder.FullName, "audit-signing-key.pem");

    private string HistoryPath => Path.Combine(_first.Folder.FullName, "audit-signing-key.history.json");

    [Fact]
    public async Task RotatedKey_ListsBothKeys_AndVerifiesCheckpointsOfEach()
    {
        var (old, rotated) = await RotateAsync();

        var keys = await (await _second!.CreateClient().GetAsync("/api/v1/audit/keys")).ReadAsAsync<AuditKeyResponse[]>(HttpStatusCode.OK);
        Assert.Equal([old.KeyId, rotated.KeyId], keys.Select(k => k.KeyId));
        Assert.NotNull(keys[0].ValidTo);
        Assert.Null(keys[1].ValidTo);
        Assert.True(keys[0].ValidFrom <= keys[0].ValidTo && keys[0].ValidTo <= keys[1].ValidFrom);
        Assert.NotEqual(old.KeyId, rotated.KeyId);

        var report = await VerifyAsync(_second);
        Assert.True(report.Valid, $"invalid at {report.FirstInvalidSequence}");
        Assert.Equal(rotated.Sequence, report.LatestCheckpoint!.Sequence);
    }

    [Fact]
    public async Task RetiredKeySigningAfterItsSuccessor_Fails()
    {
        var (_, rotated) = await RotateAsync();
        // Whoever kept the old key re-signs the newest checkpoint with it, under its real id.
        using (var oldKey = AuditSigningKey.LoadOrCreate(OldKeyPath))
        await using (var scope = _second!.Services.CreateAsyncScope())
        {
            var signature = oldKey.Sign(AuditCheckpointText.Body(rotated.Origin, rotated.Sequence, rotated.RootHash));
            await scope.ServiceProvider.GetRequiredService<DragonDbContext>().AuditCheckpoints.Where(c => c.Sequence == rotated.Sequence)
                .ExecuteUpdateAsync(set => set.SetProperty(c => c.KeyId, oldKey.KeyId).SetProperty(c => c.Signature, signature));
        }

        var report = await VerifyAsync(_second);

        Assert.False(report.Valid);
        Assert.Equal(rotated.Sequence, report.FirstInvalidSequence);
    }

    [Fact]
    public async Task HostWhoseKeyHistoryWasLost_FailsTheCheckpointsOfTheRetiredKey()
    {
        var (old, _) = await RotateAsync();
        _second!.Dispose();
        File.Delete(HistoryPath);
        _second = _first.Restart(settings: new Dictionary<string, string>
        {
            ["Audit:SigningKeyPath"] = Path.Combine(_first.Folder.FullName, "rotated.pem"),
            ["Audit:KeyHistoryPath"] = HistoryPath,
        });

        var report = await VerifyAsync(_second);

        Assert.False(report.Valid);
        Assert.Equal(old.Sequence, report.FirstInvalidSequence);
    }

    /// <summary>Signs a checkpoint with the first key, restarts on a new key file with the same history, and signs another.</summary>
    private async Task<(AuditCheckpoint Old, AuditCheckpoint Rotated)> RotateAsync()
    {
        await _first.Accounts.AsAsync(DragonRoles.Auditor);
        var old = await SignAsync(_first);
        _first.Dispose();
        _second = _first.Restart(settings: new Dictionary<string, string>
        {
            ["Audit:SigningKeyPath"] = Path.Combine(_first.Folder.FullName, "rotated.pem"),
            ["Audit:KeyHistoryPath"] = HistoryPath,
        });
        await _second.Accounts.NewUserAsync(DragonRoles.Researcher);
        var rotated = await SignAsync(_second);
        Assert.True(rotated.Sequence > old.Sequence);
        return (old, rotated);
    }

    private static async Task<AuditCheckpoint> SignAsync(DragonApiFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<AuditCheckpoints>().SignLatestAsync(default))!;
    }

    private static async Task<AuditVerifyResponse> VerifyAsync(DragonApiFactory factory)
    {
        var auditor = (await factory.Accounts.AsAsync(DragonRoles.Auditor)).Client;
        return await (await auditor.GetAsync("/api/v1/audit/verify?full=true")).ReadAsAsync<AuditVerifyResponse>(HttpStatusCode.OK);
    }

    public void Dispose()
    {
        _second?.Dispose();
        _first.Dispose();
        _first.DropDatabase();
    }
}
