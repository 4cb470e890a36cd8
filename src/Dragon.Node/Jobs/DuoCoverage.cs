namespace Dragon.Node.Jobs;

/// <summary>
/// Whether a subject's consented DUO permissions cover a job's purpose: a permission covers itself and its
/// descendants (DUO:0000004 general research use &gt; DUO:0000042 general health/medical/biomedical &gt;
/// DUO:0000006 health/medical/biomedical &gt; DUO:0000007 disease specific; DUO:0000042 &gt; DUO:0000011
/// population origins or ancestry; DUO:0000004 &gt; DUO:0000043 clinical care). Modifiers cover nothing.
/// </summary>
public static class DuoCoverage
{
    private static readonly Dictionary<string, string> Parents = new(StringComparer.Ordinal)
    {
        ["DUO:0000042"] = "DUO:0000004",
        ["DUO:0000006"] = "DUO:0000042",
        ["DUO:0000007"] = "DUO:0000006",
        ["DUO:0000011"] = "DUO:0000042",
        ["DUO:0000043"] = "DUO:0000004",
    };

    private const string Root = "DUO:0000004";

    public static bool Covers(IReadOnlyList<string> permissions, string purpose)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        ArgumentNullException.ThrowIfNull(purpose);
        if (!IsPermission(purpose))
        {
            return false;
        }
        // Called once per record and job: walks the purpose's few ancestors over the subject's few terms, allocating nothing.
        for (var term = (string?)purpose; term is not null; term = Parents.GetValueOrDefault(term))
        {
            for (var i = 0; i < permissions.Count; i++)
            {
                if (string.Equals(permissions[i], term, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static bool IsPermission(string term) => term == Root || Parents.ContainsKey(term);
}
