using System.Globalization;

namespace Dragon.Platform.Audit;

/// <summary>The signed text of a checkpoint, in the shape of a C2SP tlog-checkpoint body.</summary>
public static class AuditCheckpointText
{
    public static string Body(string origin, long size, string rootHashHex) =>
        $"{origin}\n{size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(Convert.FromHexString(rootHashHex))}\n";
}
