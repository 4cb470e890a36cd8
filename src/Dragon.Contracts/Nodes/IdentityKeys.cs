using System.Security.Cryptography;

namespace Dragon.Contracts.Nodes;

/// <summary>
/// A node's identity key on the wire: an ECDSA P-256 public key as DER SubjectPublicKeyInfo, signatures over SHA-256
/// in the fixed 64-byte (IEEE P1363) form, and the fingerprint people compare out of band: <c>sha256:</c> and the
/// lowercase hex SHA-256 of the public key.
/// </summary>
public static class IdentityKeys
{
    public const string FingerprintPrefix = "sha256:";
    public const int SignatureBytes = 64;

    /// <summary>The longest public key accepted; a P-256 SubjectPublicKeyInfo is 91 bytes.</summary>
    public const int MaxPublicKeyBytes = 200;

    public static string Fingerprint(ReadOnlySpan<byte> publicKey) => FingerprintPrefix + Convert.ToHexStringLower(SHA256.HashData(publicKey));

    /// <summary>A fingerprint as typed (any case, with or without the prefix, with colons or spaces) in its one form, or null when it is not one.</summary>
    public static string? NormalizeFingerprint(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var hex = text.Trim();
        if (hex.StartsWith(FingerprintPrefix, StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[FingerprintPrefix.Length..];
        }
        hex = hex.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        return hex.Length == 64 && hex.All(Uri.IsHexDigit) ? FingerprintPrefix + hex : null;
    }

    /// <summary>True when <paramref name="publicKey"/> is exactly one ECDSA P-256 SubjectPublicKeyInfo.</summary>
    public static bool IsValid(ReadOnlySpan<byte> publicKey)
    {
        using var key = Import(publicKey);
        return key is not null;
    }

    /// <summary>True when <paramref name="signature"/> is the key's signature over <paramref name="statement"/>; false for any malformed input.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> statement, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureBytes)
        {
            return false;
        }
        // One import for the check and the verification: importing a point (it is validated) costs more than verifying.
        using var key = Import(publicKey);
        return key is not null && key.VerifyData(statement, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>The key when <paramref name="publicKey"/> is exactly one ECDSA P-256 SubjectPublicKeyInfo, otherwise null.</summary>
    private static ECDsa? Import(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.IsEmpty || publicKey.Length > MaxPublicKeyBytes)
        {
            return null;
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(publicKey, out var read);
            if (read == publicKey.Length && key.ExportParameters(false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                return key;
            }
        }
        catch (CryptographicException)
        {
        }
        key.Dispose();
        return null;
    }

    /// <summary>Base64 of a signature, or null when the text is not base64 of one.</summary>
    public static byte[]? DecodeSignature(string? base64) =>
        Common.BoundedBase64.Decode(base64, SignatureBytes) is { Length: SignatureBytes } signature ? signature : null;
}
