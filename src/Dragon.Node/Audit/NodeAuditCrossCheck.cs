using System.Text.Json;
using Dragon.Contracts.Audit;

namespace Dragon.Node.Audit;

/// <summary>
/// Holds the node's own log against the platform's trail of this node's events: every upload the node logged must be in
/// the trail as the event the platform receipted (same sequence, same hash, same digest), and every upload or refusal the
/// trail puts on this node must be in the node's log. Each disagreement is reported in a sentence.
/// </summary>
public static class NodeAuditCrossCheck
{
    /// <summary>The trail's actions for a refusal: the job failed by it, or went on without the node.</summary>
    private static readonly string[] RefusalActions = ["Job_Failed", "Job_NodesLeftOut"];

    /// <summary>The trail's action for each upload a node logs.</summary>
    private static readonly Dictionary<string, string> UploadActions = new(StringComparer.Ordinal)
    {
        ["commitment"] = "Job_CommitmentReceived",
        ["contribution"] = "Job_ContributionReceived",
        ["decryptionShare"] = "Job_DecryptionShareReceived",
    };

    public static IReadOnlyList<string> Compare(IReadOnlyList<NodeAuditRecord> own, IReadOnlyList<AuditEventResponse> platform, IReadOnlyList<AuditKeyResponse> keys)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(keys);
        var problems = new List<string>();
        var bySequence = platform.ToDictionary(e => e.Sequence);
        var matched = new HashSet<long>();
        foreach (var record in own.Where(r => r.Entry is { Outcome: NodeAuditEntry.Served, JobId: not null } && UploadActions.ContainsKey(r.Entry.Task)))
        {
            var entry = record.Entry;
            var action = UploadActions[entry.Task];
            var what = $"The {entry.Task} of job {entry.JobId} (entry {record.Sequence} of this node's log)";
            if (entry.Receipt is { } receipt)
            {
                if (!SignedByThePlatform(receipt, keys))
                {
                    problems.Add($"{what}: its receipt is not signed by any of the platform's audit keys.");
                }
                else if (!bySequence.TryGetValue(receipt.Sequence, out var receipted))
                {
                    problems.Add($"{what}: the platform receipted it as event {receipt.Sequence}, which its trail no longer holds.");
                }
                else if (receipted.Hash != receipt.Hash || !Records(receipted, action, entry))
                {
                    problems.Add($"{what}: event {receipt.Sequence} of the platform's trail is not the event the platform receipted.");
                    matched.Add(receipt.Sequence);
                }
                else
                {
                    matched.Add(receipt.Sequence);
                }
                continue;
            }
            // No receipt (an older platform, or the same upload sent again): any event recording the same upload will do.
            if (platform.FirstOrDefault(e => Records(e, action, entry)) is { } recorded)
            {
                matched.Add(recorded.Sequence);
            }
            else
            {
                problems.Add($"{what}: the platform's trail has no event for it.");
            }
        }
        foreach (var e in platform.Where(e => UploadActions.ContainsValue(e.Action) && !matched.Contains(e.Sequence)))
        {
            problems.Add($"Event {e.Sequence} of the platform's trail records {e.Action} of job {e.ObjectId} by this node, which this node's log does not have.");
        }
        foreach (var e in platform.Where(e => RefusalActions.Contains(e.Action)
            && !own.Any(r => r.Entry.Outcome == NodeAuditEntry.Refused && r.Entry.JobId?.ToString() == e.ObjectId)))
        {
            problems.Add($"Event {e.Sequence} of the platform's trail says this node refused job {e.ObjectId}, which this node's log does not have.");
        }
        return problems;
    }

    private static bool Records(AuditEventResponse e, string action, NodeAuditEntry entry) =>
        e.Action == action && e.ObjectId == entry.JobId?.ToString() && Sha256Fact(e.Payload) == entry.UploadDigest;

    private static string? Sha256Fact(string payload)
    {
        try
        {
            using var facts = JsonDocument.Parse(payload);
            return facts.RootElement.ValueKind == JsonValueKind.Object && facts.RootElement.TryGetProperty("sha256", out var sha) ? sha.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool SignedByThePlatform(AuditReceipt receipt, IReadOnlyList<AuditKeyResponse> keys)
    {
        if (keys.FirstOrDefault(k => k.KeyId == receipt.KeyId) is not { } key)
        {
            return false;
        }
        try
        {
            using var verifier = System.Security.Cryptography.ECDsa.Create();
            verifier.ImportFromPem(key.PublicKeyPem);
            return verifier.VerifyData(System.Text.Encoding.UTF8.GetBytes(AuditReceipt.Statement(receipt.Origin, receipt.Sequence, receipt.Hash)),
                Convert.FromBase64String(receipt.Signature), System.Security.Cryptography.HashAlgorithmName.SHA256,
                System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
