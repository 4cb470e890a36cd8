using System.Security.Cryptography;

namespace Dragon.Homomorphic.Tests.Serialization;

/// <summary>One serialized object of every wire type, with its parser and serializer, for round-trip and hostile-input tests.</summary>
public sealed record WireSample(string Name, byte[] Bytes, Func<byte[], object> Parse, Func<Stream, object> ParseStream, Func<object, byte[]> Serialize);

public static class WireSamples
{
    private static readonly Lazy<IReadOnlyDictionary<string, WireSample>> Samples = new(() => Build(Parameters));

    private static readonly Lazy<IReadOnlyDictionary<string, WireSample>> OtherParameterSamples =
        new(() => Build(EncryptionParameters.FromPreset(ParameterPresets.InsecureBfv1024Batch, allowInsecure: true)));

    public static TheoryData<string> Names => new(Samples.Value.Keys);

    public static WireSample Get(string name) => Samples.Value[name];

    /// <summary>Valid objects a parser of <paramref name="name"/> must refuse: every other kind, and every kind (its own too) made for other parameters.</summary>
    public static IReadOnlyList<byte[]> Foreign(string name) =>
        [.. Samples.Value.Values.Where(s => s.Name != name).Concat(OtherParameterSamples.Value.Values).Select(s => s.Bytes)];

    public static EncryptionParameters Parameters => EncryptionParameters.FromPreset(ParameterPresets.InsecureBfv1024, allowInsecure: true);

    private static Dictionary<string, WireSample> Build(EncryptionParameters p)
    {
        var keyGenProtocol = new PublicKeyGenProtocol(p);
        PublicKeyGenCrp crp = keyGenProtocol.SampleCrp(RandomNumberGenerator.GetBytes(32));
        SecretKey[] secrets = [new KeyGenerator(p).SecretKey, new KeyGenerator(p).SecretKey];
        PublicKeyGenShare[] keyShares = [.. secrets.Select(s =>
        {
            PublicKeyGenShare share = keyGenProtocol.AllocateShare();
            keyGenProtocol.GenShare(s, crp, share);
            return share;
        })];
        PublicKey publicKey = keyGenProtocol.GenPublicKeyNew(keyGenProtocol.AggregateSharesNew(keyShares), crp);
        var encoder = new IntegerEncoder(p);
        var encryptor = new Encryptor(p, publicKey);
        long[] values = TestContext.RandomValues(new Random(1), 1500, 1000);
        CiphertextVector vector = CiphertextVector.Encrypt(encryptor, encoder, values);
        CiphertextVector mixed = new(1024, [new Encryptor(p, secrets[0]).EncryptSymmetric(encoder.Encode([1, 2, 3]))]);
        var decryption = new DecryptionShareProtocol(p, 2, 1, SmudgingTarget.InsecureForTests);
        DecryptionShare decryptionShare = decryption.GenShareNew(secrets[0], vector);
        ThresholdShare thresholdShare = new Thresholdizer(p).Deal(secrets[0], 2, 3)[1];

        WireSample[] all =
        [
            new("parameters", p.ToArray(), b => EncryptionParameters.ReadFrom(b, allowInsecure: true), s => EncryptionParameters.ReadFrom(s, allowInsecure: true), o => ((EncryptionParameters)o).ToArray()),
            new("public key", publicKey.ToArray(), b => PublicKey.ReadFrom(b, p), s => PublicKey.ReadFrom(s, p), o => ((PublicKey)o).ToArray()),
            new("public-key share", keyShares[0].ToArray(), b => PublicKeyGenShare.ReadFrom(b, p), s => PublicKeyGenShare.ReadFrom(s, p), o => ((PublicKeyGenShare)o).ToArray()),
            new("ciphertext", vector.Parts[0].ToArray(), b => Ciphertext.ReadFrom(b, p), s => Ciphertext.ReadFrom(s, p), o => ((Ciphertext)o).ToArray()),
            new("seed-compressed ciphertext", mixed.Parts[0].ToArray(), b => Ciphertext.ReadFrom(b, p), s => Ciphertext.ReadFrom(s, p), o => ((Ciphertext)o).ToArray()),
            new("ciphertext vector", vector.ToArray(), b => CiphertextVector.ReadFrom(b, p), s => CiphertextVector.ReadFrom(s, p), o => ((CiphertextVector)o).ToArray()),
            new("compressed ciphertext vector", mixed.ToArray(), b => CiphertextVector.ReadFrom(b, p), s => CiphertextVector.ReadFrom(s, p), o => ((CiphertextVector)o).ToArray()),
            new("decryption share", decryptionShare.ToArray(), b => DecryptionShare.ReadFrom(b, p), s => DecryptionShare.ReadFrom(s, p), o => ((DecryptionShare)o).ToArray()),
            new("threshold share", thresholdShare.ToArray(), b => ThresholdShare.ReadFrom(b, p), s => ThresholdShare.ReadFrom(ReadAll(s), p), o => ((ThresholdShare)o).ToArray()),
            new("secret key file", SecretKeyFile.ToArray(secrets[1]), b => SecretKeyFile.Read(b, p), s => SecretKeyFile.Read(s, p), o => SecretKeyFile.ToArray((SecretKey)o)),
        ];
        return all.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>A threshold share is only ever read from bytes already in memory (a sealed share, opened), so it has no stream reader.</summary>
    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
