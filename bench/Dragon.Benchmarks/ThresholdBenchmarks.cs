using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;

namespace Dragon.Benchmarks;

/// <summary>
/// What a t-of-N key set adds to the ceremony at one node (t = N/2 + 1): dealing its secret to N members and sealing
/// each share to its recipient, then opening and combining the N shares dealt to it. An N-of-N key set does neither.
/// </summary>
[MemoryDiagnoser(false)]
public class ThresholdCeremonyBenchmarks
{
    private EncryptionParameters parameters = null!;
    private Thresholdizer thresholdizer = null!;
    private SecretKey secret = null!;
    private ECDiffieHellman[] exchange = null!;
    private byte[][] exchangePublic = null!;
    private byte[][] received = null!;
    private readonly Guid keySet = Guid.NewGuid();
    private Guid[] members = null!;

    [Params(3, 10, 30)]
    public int Members { get; set; } = 3;

    private int Threshold => Members / 2 + 1;

    [GlobalSetup]
    public void Setup()
    {
        parameters = EncryptionParameters.FromPreset(ParameterPresets.Bfv8192);
        thresholdizer = new Thresholdizer(parameters);
        secret = new KeyGenerator(parameters).SecretKey;
        members = [.. Enumerable.Range(0, Members).Select(_ => Guid.NewGuid())];
        exchange = [.. Enumerable.Range(0, Members).Select(_ => ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256))];
        exchangePublic = [.. exchange.Select(e => e.ExportSubjectPublicKeyInfo())];
        // What member 0 receives: one share from every dealer, sealed to it.
        received = [.. Enumerable.Range(0, Members).Select(dealer => ThresholdShareSeal.Seal(exchange[dealer], exchangePublic[0], keySet, members[dealer], members[0],
            thresholdizer.Deal(new KeyGenerator(parameters).SecretKey, Threshold, Members)[0].ToArray()))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var key in exchange)
        {
            key.Dispose();
        }
    }

    [Benchmark(Description = "deal and seal N shares")]
    public int DealAndSeal()
    {
        var shares = thresholdizer.Deal(secret, Threshold, Members);
        var length = 0;
        for (var x = 0; x < Members; x++)
        {
            length += ThresholdShareSeal.Seal(exchange[0], exchangePublic[x], keySet, members[0], members[x], shares[x].ToArray()).Length;
        }
        return length;
    }

    [Benchmark(Description = "open and combine N shares")]
    public ThresholdShare OpenAndCombine() =>
        thresholdizer.Combine(received.Select((sealedShare, dealer) =>
            ThresholdShare.ReadFrom(ThresholdShareSeal.Open(exchange[0], exchangePublic[dealer], keySet, members[dealer], members[0], sealedShare)!, parameters)));
}

/// <summary>
/// A job's decryption with a t-of-N key set (t = N/2 + 1 shares, each scaled by its Lagrange coefficient) against
/// N-of-N (all N shares), for an aggregate of one ciphertext from each of the N members.
/// </summary>
[MemoryDiagnoser(false)]
public class ThresholdDecryptionBenchmarks
{
    private DecryptionShareProtocol protocol = null!;
    private CiphertextVector aggregate = null!;
    private SecretKey[] secrets = null!;
    private ThresholdShare[] points = null!;
    private List<int> subset = null!;
    private DecryptionShare share = null!;
    private DecryptionShare[] shares = null!;
    private IntegerEncoder encoder = null!;

    [Params(3, 10, 30)]
    public int Members { get; set; } = 3;

    [Params(false, true)]
    public bool TOfN { get; set; }

    private int Threshold => TOfN ? Members / 2 + 1 : Members;

    [GlobalSetup]
    public void Setup()
    {
        var parameters = EncryptionParameters.FromPreset(ParameterPresets.Bfv8192);
        var keyGen = new PublicKeyGenProtocol(parameters);
        var crp = keyGen.SampleCrp(RandomNumberGenerator.GetBytes(32));
        secrets = [.. Enumerable.Range(0, Members).Select(_ => new KeyGenerator(parameters).SecretKey)];
        var publicKey = keyGen.GenPublicKeyNew(keyGen.AggregateSharesNew(secrets.Select(s =>
        {
            var keyShare = keyGen.AllocateShare();
            keyGen.GenShare(s, crp, keyShare);
            return keyShare;
        })), crp);
        encoder = new IntegerEncoder(parameters);
        long[] values = [.. Enumerable.Range(0, parameters.PolyModulusDegree).Select(i => (long)(i % 1000))];
        var encryptor = new Encryptor(parameters, publicKey);
        aggregate = CiphertextVector.Sum(new Evaluator(parameters), Enumerable.Range(0, Members).Select(_ => CiphertextVector.Encrypt(encryptor, encoder, values)));
        // The timing does not depend on the smudging target; the larger member counts need it relaxed at bfv-8192.
        var target = DecryptionBounds.MaxCiphertextCount(parameters, Members, Threshold, SmudgingTarget.KeySetLifetime) >= Members
            ? SmudgingTarget.KeySetLifetime : SmudgingTarget.InsecureForTests;
        protocol = new DecryptionShareProtocol(parameters, Members, Threshold, Members, target);
        var thresholdizer = new Thresholdizer(parameters);
        var dealt = secrets.Select(s => thresholdizer.Deal(s, Threshold, Members)).ToArray();
        points = [.. Enumerable.Range(0, Members).Select(x => thresholdizer.Combine(dealt.Select(d => d[x])))];
        subset = [.. Enumerable.Range(1, Threshold)];
        share = protocol.AllocateShare(aggregate.Parts.Count);
        shares = [.. Enumerable.Range(0, Threshold).Select(x =>
        {
            var made = protocol.AllocateShare(aggregate.Parts.Count);
            if (TOfN)
            {
                protocol.GenShare(points[x], subset, aggregate, made);
            }
            else
            {
                protocol.GenShare(secrets[x], aggregate, made);
            }
            return made;
        })];
    }

    [Benchmark(Description = "decryption share at one node")]
    public void DecryptionShare()
    {
        if (TOfN)
        {
            protocol.GenShare(points[0], subset, aggregate, share);
        }
        else
        {
            protocol.GenShare(secrets[0], aggregate, share);
        }
    }

    [Benchmark(Description = "combine the shares and decrypt")]
    public long[] CombineAndDecrypt() => protocol.Decrypt(aggregate, protocol.AggregateSharesNew(shares), encoder);
}
