using System.Security.Cryptography;

namespace Dragon.Platform.Common;

/// <summary>Random secrets (enrollment tokens, client secrets) from the operating system's CSPRNG.</summary>
public static class Secrets
{
    /// <summary>256 random bits, base64url without padding.</summary>
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
