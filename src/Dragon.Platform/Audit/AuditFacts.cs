namespace Dragon.Platform.Audit;

/// <summary>Builds an event's facts from pairs; a later pair with the same key wins.</summary>
public static class AuditFacts
{
    public static Dictionary<string, string?> Of(params (string Key, string? Value)[] facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var all = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in facts)
        {
            all[key] = value;
        }
        return all;
    }
}
