using System.Buffers.Binary;
using CsCheck;

namespace Dragon.Homomorphic.Tests.Serialization;

public class HostileInputTests
{
    private const int HeaderLength = 44;

    [Theory]
    [MemberData(nameof(WireSamples.Names), MemberType = typeof(WireSamples))]
    public void EveryTruncation_IsRejected(string name)
    {
        WireSample sample = WireSamples.Get(name);
        var cuts = new SortedSet<int> { 0, 1, 4, HeaderLength - 1, HeaderLength, HeaderLength + 1, sample.Bytes.Length - 1 };
        var random = new Random(name.Length);
        while (cuts.Count < Math.Min(200, sample.Bytes.Length))
        {
            cuts.Add(random.Next(sample.Bytes.Length));
        }

        foreach (int cut in cuts)
        {
            byte[] truncated = sample.Bytes[..cut];
            Assert.Throws<InvalidFormatException>(() => sample.Parse(truncated));
            using var stream = new MemoryStream(truncated);
            Assert.Throws<InvalidFormatException>(() => sample.ParseStream(stream));
        }
    }

    [Theory]
    [MemberData(nameof(WireSamples.Names), MemberType = typeof(WireSamples))]
    public void TrailingBytes_AreRejected(string name)
    {
        WireSample sample = WireSamples.Get(name);
        Assert.Throws<InvalidFormatException>(() => sample.Parse([.. sample.Bytes, 0]));
    }

    [Theory]
    [MemberData(nameof(WireSamples.Names), MemberType = typeof(WireSamples))]
    public void EveryHeaderBitFlip_IsRejected(string name)
    {
        WireSample sample = WireSamples.Get(name);
        for (int bit = 0; bit < HeaderLength * 8; bit++)
        {
            byte[] flipped = (byte[])sample.Bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<InvalidFormatException>(() => sample.Parse(flipped));
        }
    }

    [Theory]
    [MemberData(nameof(WireSamples.Names), MemberType = typeof(WireSamples))]
    public void RandomBitFlips_AreRejectedOrParsedFaithfully(string name)
    {
        // Without a MAC a flipped coefficient bit can give another valid coefficient; what must never happen is
        // another exception type, or a parse that does not reproduce the (altered) input.
        WireSample sample = WireSamples.Get(name);
        int rejected = 0;
        Gen.Int[0, (sample.Bytes.Length * 8) - 1].Array[1, 3].Sample(bits =>
        {
            byte[] flipped = (byte[])sample.Bytes.Clone();
            foreach (int bit in bits)
            {
                flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            }

            try
            {
                object parsed = sample.Parse(flipped);
                Assert.Equal(flipped, sample.Serialize(parsed));
            }
            catch (InvalidFormatException)
            {
                rejected++;
            }
        }, iter: 300, threads: 1);
        Assert.True(rejected > 0, "no flip was rejected: the parser checks nothing");
    }

    [Theory]
    [MemberData(nameof(WireSamples.Names), MemberType = typeof(WireSamples))]
    public void RandomGarbage_IsRejected(string name)
    {
        WireSample sample = WireSamples.Get(name);
        Gen.Byte.Array[0, 4096].Sample(bytes => Assert.Throws<InvalidFormatException>(() => sample.Parse(bytes)), iter: 200, threads: 1);
        Gen.Byte.Array[0, 2000].Sample(tail =>
        {
            byte[] framed = [.. sample.Bytes[..HeaderLength], .. tail];
            BinaryPrimitives.WriteInt32LittleEndian(framed.AsSpan(40), tail.Length);
            Assert.Throws<InvalidFormatException>(() => sample.Parse(framed));
        }, iter: 200, threads: 1);
    }

    [Theory]
    [MemberData(nameof(WireSamples.Names), MemberType = typeof(WireSamples))]
    public void HugeLengths_AreRejectedWithoutHugeAllocations(string name)
    {
        WireSample sample = WireSamples.Get(name);
        foreach (int length in new[] { int.MaxValue, -1, int.MinValue, 512 * 1024 * 1024, (512 * 1024 * 1024) + 1 })
        {
            byte[] lying = (byte[])sample.Bytes.Clone();
            BinaryPrimitives.WriteInt32LittleEndian(lying.AsSpan(40), length);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Throws<InvalidFormatException>(() => sample.Parse(lying));
            Assert.Throws<InvalidFormatException>(() => sample.ParseStream(new NonSeekableStream(lying)));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 8 * 1024 * 1024, $"{allocated} bytes allocated for a {length}-byte claim");
        }
    }

    [Theory]
    [InlineData("public key", 0)]
    [InlineData("public-key share", 0)]
    [InlineData("decryption share", 0)]
    [InlineData("decryption share", 4)]
    [InlineData("ciphertext vector", 0)]
    public void HugeOrZeroCounts_AreRejected(string name, int offset)
    {
        WireSample sample = WireSamples.Get(name);
        foreach (int count in new[] { 0, -1, int.MaxValue, 1 << 20 })
        {
            byte[] lying = (byte[])sample.Bytes.Clone();
            BinaryPrimitives.WriteInt32LittleEndian(lying.AsSpan(HeaderLength + offset), count);
            Assert.Throws<InvalidFormatException>(() => sample.Parse(lying));
        }
    }

    [Theory]
    [MemberData(nameof(WireSamples.Names), MemberType = typeof(WireSamples))]
    public void WrongParameters_AreRejected(string name)
    {
        if (name == "parameters")
        {
            return;
        }

        WireSample sample = WireSamples.Get(name);
        byte[] otherId = EncryptionParameters.FromPreset(ParameterPresets.InsecureBfv1024Batch, allowInsecure: true).Id.ToArray();
        byte[] relabelled = (byte[])sample.Bytes.Clone();
        otherId.CopyTo(relabelled, 8);
        Assert.Throws<InvalidFormatException>(() => sample.Parse(relabelled));
    }

    [Fact]
    public void ObjectsOfAnotherParameterSet_AreRejected()
    {
        TestContext context = TestContext.For(ParameterPresets.Bfv4096);
        byte[] bytes = context.PublicEncryptor.Encrypt(context.Encoder.Encode([1])).ToArray();
        Assert.Throws<InvalidFormatException>(() => Ciphertext.ReadFrom(bytes, EncryptionParameters.FromPreset(ParameterPresets.Bfv4096Batch)));
        Assert.Throws<InvalidFormatException>(() => PublicKey.ReadFrom(bytes, context.Parameters));
    }

    [Fact]
    public void UnreducedCoefficient_IsRejected()
    {
        WireSample sample = WireSamples.Get("ciphertext");
        EncryptionParameters p = WireSamples.Parameters;
        ulong q0 = p.CoeffModulus[0];
        int width = 7;
        Span<byte> word = stackalloc byte[8];
        foreach (ulong value in new[] { q0, q0 + 1, (1UL << 50) - 1 })
        {
            byte[] bad = (byte[])sample.Bytes.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(word, value);
            word[..width].CopyTo(bad.AsSpan(HeaderLength + (5 * width)));
            Assert.Throws<InvalidFormatException>(() => sample.Parse(bad));
        }
    }

    [Fact]
    public void CorruptedSecretKeyFile_IsRejected()
    {
        WireSample sample = WireSamples.Get("secret key file");
        for (int i = HeaderLength; i < sample.Bytes.Length; i += 37)
        {
            byte[] bad = (byte[])sample.Bytes.Clone();
            bad[i] ^= 1;
            Assert.Throws<InvalidFormatException>(() => sample.Parse(bad));
        }
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
