using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Dragon.Homomorphic.Tests.Multiparty;

/// <summary>One N-party key set (secret shares and collective public key), built once per (preset, N).</summary>
public sealed class MultipartyContext
{
    private static readonly ConcurrentDictionary<(string, int), Lazy<MultipartyContext>> Cache = new();

    private MultipartyContext(EncryptionParameters parameters, int parties)
    {
        Parameters = parameters;
        var protocol = new PublicKeyGenProtocol(parameters);
        PublicKeyGenCrp crp = protocol.SampleCrp(RandomNumberGenerator.GetBytes(32));
        SecretShares = new SecretKey[parties];
        var shares = new PublicKeyGenShare[parties];
        for (int i = 0; i < parties; i++)
        {
            SecretShares[i] = new KeyGenerator(parameters).SecretKey;
            PublicKeyGenShare share = protocol.AllocateShare();
            protocol.GenShare(SecretShares[i], crp, share);
            shares[i] = PublicKeyGenShare.ReadFrom(share.ToArray(), parameters);
        }

        PublicKey = PublicKey.ReadFrom(protocol.GenPublicKeyNew(protocol.AggregateSharesNew(shares), crp).ToArray(), parameters);
        Encryptor = new Encryptor(parameters, PublicKey);
        Evaluator = new Evaluator(parameters);
        Encoder = new IntegerEncoder(parameters);
    }

    public EncryptionParameters Parameters { get; }

    public SecretKey[] SecretShares { get; }

    public PublicKey PublicKey { get; }

    public Encryptor Encryptor { get; }

    public Evaluator Evaluator { get; }

    public IntegerEncoder Encoder { get; }

    public int Parties => SecretShares.Length;

    public static MultipartyContext For(EncryptionParameters parameters, int parties) =>
        Cache.GetOrAdd((parameters.ToString(), parties), _ => new Lazy<MultipartyContext>(() => new MultipartyContext(parameters, parties))).Value;

    public static EncryptionParameters ParametersForLogN(int logN) => logN switch
    {
        10 => EncryptionParameters.FromPreset(ParameterPresets.InsecureBfv1024, allowInsecure: true),
        12 => EncryptionParameters.FromPreset(ParameterPresets.Bfv4096),
        13 => EncryptionParameters.FromPreset(ParameterPresets.Bfv8192),
        14 => EncryptionParameters.FromPreset(ParameterPresets.Bfv16384),
        _ => throw new ArgumentOutOfRangeException(nameof(logN)),
    };

    /// <summary>Every party encrypts one random vector; returns the vectors and their homomorphic sum.</summary>
    public (long[][] Inputs, CiphertextVector Aggregate) Contribute(Random random, int length, long bound, int contributions)
    {
        var inputs = new long[contributions][];
        var encrypted = new CiphertextVector[contributions];
        for (int i = 0; i < contributions; i++)
        {
            inputs[i] = TestContext.RandomValues(random, length, bound);
            encrypted[i] = CiphertextVector.Encrypt(Encryptor, Encoder, inputs[i]);
        }

        return (inputs, CiphertextVector.Sum(Evaluator, encrypted));
    }

    public static long[] Sum(long[][] inputs)
    {
        var sum = new long[inputs[0].Length];
        foreach (long[] input in inputs)
        {
            for (int j = 0; j < sum.Length; j++)
            {
                sum[j] += input[j];
            }
        }

        return sum;
    }
}
