namespace Dragon.Homomorphic.Tests.Rlwe;

public class EvaluatorTests
{
    private readonly TestContext context = TestContext.For(ParameterPresets.Bfv4096);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AddSubNegate_MatchPlainArithmetic(int seed)
    {
        var random = new Random(seed);
        long[] a = TestContext.RandomValues(random, 4096, 1L << 29);
        long[] b = TestContext.RandomValues(random, 4096, 1L << 29);
        Ciphertext ca = context.PublicEncryptor.Encrypt(context.Encoder.Encode(a));
        Ciphertext cb = context.SymmetricEncryptor.EncryptSymmetric(context.Encoder.Encode(b));

        Assert.Equal(a.Zip(b, (x, y) => x + y), Decrypt(context.Evaluator.Add(ca, cb)));
        var difference = new Ciphertext(context.Parameters);
        context.Evaluator.Sub(ca, cb, difference);
        Assert.Equal(a.Zip(b, (x, y) => x - y), Decrypt(difference));
        var negated = new Ciphertext(context.Parameters);
        context.Evaluator.Negate(ca, negated);
        Assert.Equal(a.Select(x => -x), Decrypt(negated));
    }

    [Fact]
    public void InPlaceVariants_AliasSafely()
    {
        var random = new Random(9);
        long[] a = TestContext.RandomValues(random, 4096, 1000);
        long[] b = TestContext.RandomValues(random, 4096, 1000);
        Ciphertext ca = context.PublicEncryptor.Encrypt(context.Encoder.Encode(a));
        Ciphertext cb = context.PublicEncryptor.Encrypt(context.Encoder.Encode(b));

        context.Evaluator.AddInPlace(ca, cb);
        context.Evaluator.SubInPlace(ca, cb);
        context.Evaluator.SubInPlace(ca, cb);
        context.Evaluator.NegateInPlace(ca);
        context.Evaluator.MultiplyPlainScalarInPlace(ca, 3);
        context.Evaluator.AddPlainInPlace(ca, context.Encoder.Encode(a));
        Assert.Equal(a.Zip(b, (x, y) => (-(x - y) * 3) + x), Decrypt(ca));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(12345)]
    [InlineData(-1_000_000)]
    public void MultiplyPlainScalar_ScalesEveryValue(long scalar)
    {
        long[] a = TestContext.RandomValues(new Random(5), 4096, 2000);
        Ciphertext ca = context.PublicEncryptor.Encrypt(context.Encoder.Encode(a));
        var product = new Ciphertext(context.Parameters);
        context.Evaluator.MultiplyPlainScalar(ca, scalar, product);
        Assert.Equal(a.Select(x => x * scalar), Decrypt(product));
    }

    [Fact]
    public void AddPlain_AddsThePlaintext_AndWrapsCentredModT()
    {
        long max = context.Encoder.MaxValue;
        Ciphertext ca = context.PublicEncryptor.Encrypt(context.Encoder.Encode([max, 5, -7]));
        var result = new Ciphertext(context.Parameters);
        context.Evaluator.AddPlain(ca, context.Encoder.Encode([1, 10, 7]), result);
        Assert.Equal([context.Encoder.MinValue, 15, 0], Decrypt(result).Take(3));
    }

    [Fact]
    public void Add_IsDeterministic_AndClearsTheSeed()
    {
        Ciphertext a = context.SymmetricEncryptor.EncryptSymmetric(context.Encoder.Encode([1, 2]));
        Ciphertext b = context.SymmetricEncryptor.EncryptSymmetric(context.Encoder.Encode([3, 4]));
        Ciphertext first = context.Evaluator.Add(a, b);
        Ciphertext second = context.Evaluator.Add(a, b);
        Assert.False(first.IsSeedCompressed);
        Assert.Equal(first.C0, second.C0);
        Assert.Equal(first.C1, second.C1);
    }

    [Fact]
    public void Operations_OnForeignParameters_Throw()
    {
        TestContext other = TestContext.For(ParameterPresets.Bfv4096Batch);
        Ciphertext mine = context.PublicEncryptor.Encrypt(context.Encoder.Encode([1]));
        Ciphertext theirs = other.PublicEncryptor.Encrypt(other.Encoder.Encode([1]));
        Assert.Throws<ArgumentException>(() => context.Evaluator.Add(mine, theirs));
        Assert.Throws<ArgumentException>(() => context.Evaluator.AddPlainInPlace(mine, other.Encoder.Encode([1])));
        Assert.Throws<ArgumentNullException>(() => context.Evaluator.Add(mine, null!));
    }

    private long[] Decrypt(Ciphertext ciphertext) => context.Encoder.Decode(context.Decryptor.Decrypt(ciphertext));
}
