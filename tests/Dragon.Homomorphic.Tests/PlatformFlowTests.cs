using System.Security.Cryptography;

namespace Dragon.Homomorphic.Tests;

/// <summary>The platform's aggregation flow exactly as src/Dragon.Homomorphic/README.md shows it, every hop through bytes.</summary>
public class PlatformFlowTests
{
    [Theory]
    [InlineData(ParameterPresets.Bfv8192, 4, 3000)]
    [InlineData(ParameterPresets.Bfv8192, 16, 9000)]
    [InlineData(ParameterPresets.Bfv8192, 32, 5000)]
    public void KeyCeremony_Contributions_Aggregation_And_CollectiveDecryption(string preset, int nodes, int length)
    {
        var random = new Random(nodes);
        long[][] localVectors = [.. Enumerable.Range(0, nodes).Select(_ => TestContext.RandomValues(random, length, 100_000))];

        // Platform: parameters by name, a public seed for the key ceremony.
        EncryptionParameters parms = EncryptionParameters.FromPreset(preset);
        byte[] seed = RandomNumberGenerator.GetBytes(32);
        var keyGen = new PublicKeyGenProtocol(parms);

        // Each node: a fresh secret share, and its public-key share as bytes.
        SecretKey[] secretShares = [.. Enumerable.Range(0, nodes).Select(_ => new KeyGenerator(parms).SecretKey)];
        byte[][] keyShareBytes = [.. secretShares.Select(sk =>
        {
            PublicKeyGenShare share = keyGen.AllocateShare();
            keyGen.GenShare(sk, keyGen.SampleCrp(seed), share);
            return share.ToArray();
        })];

        // Platform: parse the untrusted shares, aggregate, publish the collective key.
        PublicKeyGenShare aggregatedKeyShare = keyGen.AggregateSharesNew(keyShareBytes.Select(b => PublicKeyGenShare.ReadFrom(b, parms)));
        byte[] publicKeyBytes = keyGen.GenPublicKeyNew(aggregatedKeyShare, keyGen.SampleCrp(seed)).ToArray();

        // Each node: encode and encrypt its local vector under the collective key.
        byte[][] contributions = [.. localVectors.Select(values =>
            CiphertextVector.Encrypt(new Encryptor(parms, PublicKey.ReadFrom(publicKeyBytes, parms)), new IntegerEncoder(parms), values).ToArray())];

        // Platform: parse the untrusted ciphertexts, add them, publish the aggregate and its digest.
        CiphertextVector aggregate = CiphertextVector.Sum(new Evaluator(parms), contributions.Select(b => CiphertextVector.ReadFrom(b, parms)));
        byte[] aggregateBytes = aggregate.ToArray();
        byte[] digest = SHA256.HashData(aggregateBytes);

        // Each node: recompute the digest from the contributions, then return a decryption share.
        var decryption = new DecryptionShareProtocol(parms, partyCount: nodes, ciphertextCount: nodes);
        byte[][] decryptionShares = [.. secretShares.Select(sk =>
        {
            byte[] recomputed = CiphertextVector.Sum(new Evaluator(parms), contributions.Select(b => CiphertextVector.ReadFrom(b, parms))).ToArray();
            Assert.Equal(digest, SHA256.HashData(recomputed));
            return decryption.GenShareNew(sk, CiphertextVector.ReadFrom(aggregateBytes, parms)).ToArray();
        })];

        // Platform: parse the untrusted shares, combine (verified), decode.
        DecryptionShare combined = decryption.AggregateSharesNew(decryptionShares.Select(b => DecryptionShare.ReadFrom(b, parms)));
        long[] result = decryption.Decrypt(aggregate, combined, new IntegerEncoder(parms));

        Assert.Equal(MultipartySum(localVectors), result);
        Assert.Throws<DecryptionVerificationException>(() =>
            decryption.Decrypt(aggregate, decryption.AggregateSharesNew(decryptionShares.Skip(1).Select(b => DecryptionShare.ReadFrom(b, parms))), new IntegerEncoder(parms)));
    }

    private static long[] MultipartySum(long[][] vectors) => Multiparty.MultipartyContext.Sum(vectors);
}
