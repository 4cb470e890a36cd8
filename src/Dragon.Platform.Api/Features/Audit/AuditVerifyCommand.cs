using System.Text.Json;
using Dragon.Contracts.Audit;
using Dragon.Contracts.Common;
using Dragon.Platform.Audit;

namespace Dragon.Platform.Api.Features.Audit;

/// <summary>
/// <c>dotnet run --project src/Dragon.Platform.Api -- verify-audit --events events.json --checkpoint checkpoint.json --key keys.json</c>:
/// checks an exported trail against a checkpoint and its public key, with no database and no network.
/// </summary>
public static class AuditVerifyCommand
{
    public const string Name = "verify-audit";

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var options = Options(args);
        if (!options.TryGetValue("--events", out var eventsPath) || !options.TryGetValue("--checkpoint", out var checkpointPath) || !options.TryGetValue("--key", out var keyPath))
        {
            await output.WriteLineAsync($"usage: {Name} --events EVENTS.json --checkpoint CHECKPOINT.json --key KEYS.json|KEY.pem");
            return 2;
        }
        try
        {
            var events = ReadEvents(await File.ReadAllTextAsync(eventsPath));
            var checkpoint = JsonSerializer.Deserialize<AuditCheckpointResponse>(await File.ReadAllTextAsync(checkpointPath), DragonJson.Options)
                ?? throw new JsonException("The checkpoint file is empty.");
            var key = ReadKey(await File.ReadAllTextAsync(keyPath), checkpoint.KeyId);

            var verifier = new AuditChainVerifier();
            foreach (var e in events.OrderBy(e => e.Sequence))
            {
                verifier.Add(AuditQueries.FromResponse(e));
            }
            verifier.Check(AuditQueries.FromResponse(checkpoint), key);
            if (verifier.Valid)
            {
                await output.WriteLineAsync($"valid: {verifier.EventsChecked} events; checkpoint at sequence {checkpoint.Sequence} signed by key {checkpoint.KeyId} verified");
                return 0;
            }
            await output.WriteLineAsync($"invalid: the trail breaks at sequence {verifier.FirstInvalidSequence} ({verifier.EventsChecked} events read)");
            return 1;
        }
        catch (Exception exception) when (exception is JsonException or IOException or FormatException or ArgumentException or InvalidOperationException)
        {
            await output.WriteLineAsync($"invalid: {exception.Message}");
            return 1;
        }
    }

    /// <summary>A JSON array of events, or one or more pages (<c>{ "items": [...] }</c>) saved from <c>/api/v1/audit/events</c>.</summary>
    private static List<AuditEventResponse> ReadEvents(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        IEnumerable<JsonElement> items = root.ValueKind switch
        {
            JsonValueKind.Array => root.EnumerateArray().SelectMany<JsonElement, JsonElement>(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("items", out var page) ? page.EnumerateArray() : [e]),
            JsonValueKind.Object when root.TryGetProperty("items", out var page) => page.EnumerateArray(),
            _ => throw new JsonException("The events file must hold an array of events or pages."),
        };
        return [.. items.Select(item => item.Deserialize<AuditEventResponse>(DragonJson.Options) ?? throw new JsonException("An event is null."))];
    }

    private static string ReadKey(string text, string keyId)
    {
        if (text.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            return text;
        }
        var keys = JsonSerializer.Deserialize<AuditKeyResponse[]>(text, DragonJson.Options) ?? [];
        return keys.SingleOrDefault(k => k.KeyId == keyId)?.PublicKeyPem
            ?? throw new InvalidOperationException($"The key file has no key with id {keyId}.");
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }
        return options;
    }
}
