using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dragon.Platform.Api.Features.Audit;
using Dragon.Platform.Audit;
using Dragon.Platform.Identity;
using Dragon.Platform.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dragon.Platform.Tests.Audit;

/// <summary>The offline verifier over files exported from the API: the real export verifies; every corruption fails.</summary>
public sealed class AuditVerifyCommandTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>, IAsyncLifetime
{
    private DirectoryInfo _folder = null!;
    private string _events = "";
    private string _checkpoint = "";
    private string _keys = "";

    public async Task InitializeAsync()
    {
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            while ((await scope.ServiceProvider.GetRequiredService<AuditVerification>().VerifyAsync(default)).EventsChecked < 10)
            {
                await fixture.Factory.Accounts.NewUserAsync(DragonRoles.Researcher);
            }
            await scope.ServiceProvider.GetRequiredService<AuditCheckpoints>().SignLatestAsync(default);
        }
        var auditor = (await fixture.Factory.Accounts.AsAsync(DragonRoles.Auditor)).Client;
        var anonymous = fixture.Factory.CreateClient();
        _folder = Directory.CreateTempSubdirectory("dragon-audit-export-");
        _events = Path.Combine(_folder.FullName, "events.json");
        _checkpoint = Path.Combine(_folder.FullName, "checkpoint.json");
        _keys = Path.Combine(_folder.FullName, "keys.json");
        var checkpoint = await anonymous.GetStringAsync("/api/v1/audit/checkpoints/latest");
        var size = JsonDocument.Parse(checkpoint).RootElement.GetProperty("sequence").GetInt64();
        var pages = new JsonArray();
        for (var page = 1; (page - 1) * 200 < size; page++)
        {
            pages.Add(JsonNode.Parse(await auditor.GetStringAsync($"/api/v1/audit/events?page={page}&pageSize=200&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}")));
        }
        var items = new JsonArray([.. pages.SelectMany(p => p!["items"]!.AsArray()).Where(e => e!["sequence"]!.GetValue<long>() <= size).Select(e => e!.DeepClone())]);
        await File.WriteAllTextAsync(_events, items.ToJsonString());
        await File.WriteAllTextAsync(_checkpoint, checkpoint);
        await File.WriteAllTextAsync(_keys, await anonymous.GetStringAsync("/api/v1/audit/keys"));
    }

    public Task DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ExportedTrail_Verifies()
    {
        var (code, output) = await RunAsync();

        Assert.True(code == 0, output);
        Assert.StartsWith("valid:", output, StringComparison.Ordinal);
    }

    public static TheoryData<string> Corruptions() => new()
    {
        "change-payload", "remove-event", "duplicate-event", "swap-events", "flip-hash-bit", "truncate", "wrong-key", "wrong-root", "malformed-json",
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public async Task CorruptedExport_Fails(string corruption)
    {
        var events = JsonNode.Parse(await File.ReadAllTextAsync(_events))!.AsArray();
        var checkpoint = JsonNode.Parse(await File.ReadAllTextAsync(_checkpoint))!.AsObject();
        var keys = await File.ReadAllTextAsync(_keys);
        switch (corruption)
        {
            case "change-payload": events[2]!["payload"] = "{\"x\":\"1\"}"; break;
            case "remove-event": events.RemoveAt(3); break;
            case "duplicate-event": events.Insert(3, events[3]!.DeepClone()); break;
            case "swap-events":
                (events[4]!["sequence"], events[5]!["sequence"]) = (events[5]!["sequence"]!.DeepClone(), events[4]!["sequence"]!.DeepClone());
                break;
            case "flip-hash-bit":
                var hash = events[1]!["hash"]!.GetValue<string>();
                events[1]!["hash"] = (hash[0] == 'a' ? 'b' : 'a') + hash[1..];
                break;
            case "truncate": events.RemoveAt(events.Count - 1); break;
            case "wrong-key":
                using (var other = AuditSigningKey.LoadOrCreate(Path.Combine(_folder.FullName, "other.pem")))
                {
                    keys = JsonSerializer.Serialize(new[] { new { keyId = checkpoint["keyId"]!.GetValue<string>(), algorithm = "x", publicKeyPem = other.PublicKeyPem } });
                }
                break;
            case "wrong-root": checkpoint["rootHash"] = new string('0', 64); break;
            case "malformed-json": await File.WriteAllTextAsync(_events, "[{\"sequence\": "); break;
        }
        if (corruption != "malformed-json")
        {
            await File.WriteAllTextAsync(_events, events.ToJsonString());
        }
        await File.WriteAllTextAsync(_checkpoint, checkpoint.ToJsonString());
        await File.WriteAllTextAsync(_keys, keys);

        var (code, output) = await RunAsync();

        Assert.True(code == 1, output);
        Assert.StartsWith("invalid", output, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output)> RunAsync()
    {
        using var output = new StringWriter();
        var code = await AuditVerifyCommand.RunAsync(["--events", _events, "--checkpoint", _checkpoint, "--key", _keys], output);
        return (code, output.ToString());
    }
}
