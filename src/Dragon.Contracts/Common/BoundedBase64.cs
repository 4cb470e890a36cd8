namespace Dragon.Contracts.Common;

/// <summary>Base64 from an untrusted party, decoded only when it is short enough to hold at most a known number of bytes.</summary>
public static class BoundedBase64
{
    /// <summary>The bytes, or null when the text is missing, not base64, or longer than <paramref name="maxBytes"/> decoded (checked before decoding).</summary>
    public static byte[]? Decode(string? text, long maxBytes)
    {
        if (text is null || text.Length > (maxBytes + 2) / 3 * 4)
        {
            return null;
        }
        var bytes = new byte[text.Length / 4 * 3 + 3];
        return Convert.TryFromBase64String(text, bytes, out var written) && written <= maxBytes ? bytes[..written] : null;
    }
}
