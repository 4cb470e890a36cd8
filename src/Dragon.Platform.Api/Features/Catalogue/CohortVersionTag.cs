using System.Globalization;

namespace Dragon.Platform.Api.Features.Catalogue;

/// <summary>A cohort's version as an HTTP entity tag: <c>"3"</c> in <c>ETag</c>, accepted back in <c>If-Match</c>.</summary>
internal static class CohortVersionTag
{
    public static string Format(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Reads <c>"3"</c>, <c>W/"3"</c> or <c>3</c>; false for anything else.</summary>
    public static bool TryParse(string value, out int version)
    {
        var text = value.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            text = text[1..^1];
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version > 0;
    }
}
