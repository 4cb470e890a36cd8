using System.Globalization;
using Dragon.Platform.BackgroundWork;
using Dragon.Platform.Persistence;
using Dragon.Platform.Policies;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Dragon.Platform.Audit;

/// <summary><c>policies/retention.json</c>: how many days each kind of operational record is kept.</summary>
public sealed class RetentionPolicy
{
    public const string FileName = "retention.json";
    public static readonly IReadOnlyList<string> KnownData = ["work-items", "enrollment-tokens", "oauth-tokens"];

    public RetentionPolicy(IReadOnlyDictionary<string, int> keepDays)
    {
        ArgumentNullException.ThrowIfNull(keepDays);
        foreach (var (data, days) in keepDays)
        {
            if (!KnownData.Contains(data) || days < 1)
            {
                throw new PolicyException($"policy.retention.invalid_rule: '{data}' with {days} days (known: {string.Join(", ", KnownData)}; at least 1 day).");
            }
        }
        KeepDays = keepDays;
    }

    public IReadOnlyDictionary<string, int> KeepDays { get; }

    public static RetentionPolicy Load(string policyDirectory) =>
        PolicyFile.Load(policyDirectory, FileName, "retention", root => new RetentionPolicy(root.GetProperty("rules").EnumerateArray()
            .ToDictionary(rule => rule.GetProperty("data").GetString() ?? "", rule => rule.GetProperty("keepDays").GetInt32())));
}

/// <summary>The recurring job that applies the retention policy; each run is itself an audit event.</summary>
public sealed class RetentionJob(DragonDbContext db, RetentionPolicy policy, IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, AuditTrail audit, TimeProvider time)
{
    public const string RecurringJobId = "retention";

    public async Task<IReadOnlyDictionary<string, long>> ApplyAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var removed = new Dictionary<string, long>(StringComparer.Ordinal);
        if (policy.KeepDays.TryGetValue("work-items", out var workDays))
        {
            var before = now.AddDays(-workDays);
            removed["work-items"] = await db.WorkItems
                .Where(w => w.State == WorkItemState.Succeeded && w.CompletedAt < before)
                .ExecuteDeleteAsync(cancellationToken);
        }
        if (policy.KeepDays.TryGetValue("enrollment-tokens", out var tokenDays))
        {
            var before = now.AddDays(-tokenDays);
            removed["enrollment-tokens"] = await db.EnrollmentTokens
                .Where(t => (t.UsedAt != null && t.UsedAt < before) || t.ExpiresAt < before)
                .ExecuteDeleteAsync(cancellationToken);
        }
        if (policy.KeepDays.TryGetValue("oauth-tokens", out var oauthDays))
        {
            var before = now.AddDays(-oauthDays);
            removed["oauth-tokens"] = await tokens.PruneAsync(before, cancellationToken) + await authorizations.PruneAsync(before, cancellationToken);
        }
        await audit.SaveChangesAsync(new AuditEntry(AuditActor.System, AuditAction.Retention_Applied, "RetentionPolicy", RetentionPolicy.FileName,
            removed.ToDictionary(pair => pair.Key, pair => (string?)pair.Value.ToString(CultureInfo.InvariantCulture))), cancellationToken);
        return removed;
    }
}
