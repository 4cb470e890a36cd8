using System.Security.Cryptography;
using Dragon.Homomorphic;

namespace Dragon.Node.Tests.Jobs;

/// <summary>
/// A real three-party key set (bfv-4096, collective public key from the parties' shares) and a job's three
/// encrypted contributions, built once for a test class: party 0 plays the node under test.
/// </summary>
public sealed class ThreePartyJob
{
    public const string Parameters = "bfv-4096";
    public const int Parties = 3;

    public ThreePartyJob()
    {
        EncryptionParameters = EncryptionParameters.FromPreset(Parameters);
        var seed = RandomNumberGenerator.GetBytes(32);
        CommonSeed = Convert.ToBase64String(seed);
        SecretKeys = [.. Enumerable.Range(0, Parties).Select(_ => new KeyGenerator(EncryptionParameters).SecretKey)];
        var protocol = new PublicKeyGenProtocol(EncryptionParameters);
        var crp = protocol.SampleCrp(seed);
        var shares = SecretKeys.Select(key =>
        {
            var share = protocol.AllocateShare();
            protocol.GenShare(key, crp, share);
            return share;
        }).ToList();
        var publicKey = protocol.GenPublicKeyNew(protocol.AggregateSharesNew(shares), crp);
        var encryptor = new Encryptor(EncryptionParameters, publicKey);
        var encoder = new IntegerEncoder(EncryptionParameters);
        Contributions = [.. Values.Select(v => CiphertextVector.Encrypt(encryptor, encoder, v).ToArray())];
        Stranger = CiphertextVector.Encrypt(encryptor, encoder, [1000, 2000]).ToArray();
    }

    /// <summary>What each party contributed: a sum and a count.</summary>
    public static readonly long[][] Values = [[120, 3], [75, 2], [301, 7]];

    public EncryptionParameters EncryptionParameters { get; }

    public string CommonSeed { get; }

    public IReadOnlyList<SecretKey> SecretKeys { get; }

    public IReadOnlyList<byte[]> Contributions { get; }

    /// <summary>A well-formed encryption under the same key that none of the parties contributed.</summary>
    public byte[] Stranger { get; }

    public byte[] Sum(params byte[][] ciphertexts) =>
        CiphertextVector.Sum(new Evaluator(EncryptionParameters), ciphertexts.Select(c => CiphertextVector.ReadFrom(c, EncryptionParameters))).ToArray();
}
