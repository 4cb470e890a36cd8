using BenchmarkDotNet.Attributes;
using Dragon.Homomorphic;

namespace Dragon.Benchmarks;

/// <summary>The operations of the aggregation protocol at n = 4096 and 8192 (compare with native SEAL in docs/performance.md).</summary>
[MemoryDiagnoser(false)]
public class BfvBenchmarks
{
    private Encryptor publicEncryptor = null!;
    private Encryptor symmetricEncryptor = null!;
    private Decryptor decryptor = null!;
    private Evaluator evaluator = null!;
    private BatchEncoder batchEncoder = null!;
    private Plaintext plain = null!;
    private Plaintext batchPlain = null!;
    private Ciphertext a = null!;
    private Ciphertext b = null!;
    private Ciphertext destination = null!;
    private byte[] serialized = null!;
    private long[] values = null!;

    [Params(ParameterPresets.Bfv4096, ParameterPresets.Bfv8192)]
    public string Preset { get; set; } = ParameterPresets.Bfv4096;

    [GlobalSetup]
    public void Setup()
    {
        var parameters = EncryptionParameters.FromPreset(Preset);
        var keys = new KeyGenerator(parameters);
        publicEncryptor = new Encryptor(parameters, keys.CreatePublicKey());
        symmetricEncryptor = new Encryptor(parameters, keys.SecretKey);
        decryptor = new Decryptor(parameters, keys.SecretKey);
        evaluator = new Evaluator(parameters);
        values = [.. Enumerable.Range(0, parameters.PolyModulusDegree).Select(i => (long)i - 2000)];
        plain = new IntegerEncoder(parameters).Encode(values);
        a = publicEncryptor.Encrypt(plain);
        b = publicEncryptor.Encrypt(plain);
        destination = new Ciphertext(parameters);
        serialized = a.ToArray();
        var batchParameters = EncryptionParameters.FromPreset(Preset + "-batch");
        batchEncoder = new BatchEncoder(batchParameters);
        batchPlain = new Plaintext(batchParameters);
    }

    [Benchmark(Description = "encrypt (public key)")]
    public void EncryptPublic() => publicEncryptor.Encrypt(plain, destination);

    [Benchmark(Description = "encrypt (symmetric, seeded)")]
    public void EncryptSymmetric() => symmetricEncryptor.EncryptSymmetric(plain, destination);

    [Benchmark(Description = "decrypt")]
    public void Decrypt() => decryptor.Decrypt(a, plain);

    [Benchmark(Description = "add")]
    public void Add() => evaluator.Add(a, b, destination);

    [Benchmark(Description = "batch encode")]
    public void BatchEncode() => batchEncoder.Encode(values, batchPlain);

    [Benchmark(Description = "serialize ciphertext")]
    public byte[] Serialize() => a.ToArray();

    [Benchmark(Description = "parse ciphertext")]
    public Ciphertext Parse() => Ciphertext.ReadFrom(serialized, a.Parameters);
}
