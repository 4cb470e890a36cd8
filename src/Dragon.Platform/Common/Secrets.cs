using System.Security.Cryptography;

namespace Dragon.Platform.Common;

/// <summary>Random secrets (enrollment tokens, client secrets) from the operating system's CSPRNG.</summary>
public static class Secrets
{
    /// <summary>256 random bits, base64url without padding, never starting with '-'.</summary>
    public static string NewToken()
    {
        // Tokens go on command lines (dragon-node enroll --token T): one starting with '-' would read as an option.
        while (true)
        {
            var token = Base64Url(RandomNumberGenerator.GetBytes(32));
            if (token[0] != '-')
            {
                return token;
            }
        }
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
