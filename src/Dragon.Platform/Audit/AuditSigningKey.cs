using System.Security.Cryptography;
using System.Text;
using Dragon.Platform.Common;

namespace Dragon.Platform.Audit;

/// <summary>
/// The ECDSA P-256 key that signs checkpoints. It lives in a PEM file outside the database, so an operator
/// who can rewrite tables cannot also re-sign a rewritten trail.
/// </summary>
public sealed class AuditSigningKey : IDisposable
{
    private readonly ECDsa _key;

    private AuditSigningKey(ECDsa key)
    {
        _key = key;
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        KeyId = IdOf(key.ExportSubjectPublicKeyInfo());
    }

    public const string Algorithm = "ECDSA P-256 SHA-256 (IEEE P1363)";

    /// <summary>The first 4 bytes of SHA-256 over the public key (SubjectPublicKeyInfo DER), hex.</summary>
    public string KeyId { get; }

    public string PublicKeyPem { get; }

    /// <summary>Loads the key at <paramref name="path"/>, creating it the first time, readable by its owner only from its first byte.</summary>
    public static AuditSigningKey LoadOrCreate(string path)
    {
        var key = ECDsa.Create();
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256)
            {
                throw new InvalidOperationException($"audit.signing_key_invalid: {path} is not a P-256 key.");
            }
            return new AuditSigningKey(key);
        }
        key.GenerateKey(ECCurve.NamedCurves.nistP256);
        using (var file = new StreamWriter(OwnerOnlyFile.CreateNew(path), Encoding.ASCII))
        {
            file.Write(key.ExportPkcs8PrivateKeyPem());
        }
        return new AuditSigningKey(key);
    }

    public string Sign(string body) =>
        Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    /// <summary>Checks a checkpoint signature with a published public key (PEM); any malformed input is simply invalid.</summary>
    public static bool Verify(string publicKeyPem, string body, string signatureBase64)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(publicKeyPem);
            return key.VerifyData(Encoding.UTF8.GetBytes(body), Convert.FromBase64String(signatureBase64),
                HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    public static string IdOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo).AsSpan(0, 4));

    public void Dispose() => _key.Dispose();
}
