using System.Buffers.Binary;
using CsCheck;

namespace Dragon.Homomorphic.Tests.Serialization;

/// <summary>A hostile input: the bytes, and how they were made from a valid object (printed when a sample fails).</summary>
public sealed record Fuzzed(string Mutation, byte[] Bytes)
{
    public override string ToString() => $"{Mutation}: {Bytes.Length} bytes {Convert.ToHexString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 96)))}{(Bytes.Length > 96 ? "..." : "")}";
}

/// <summary>
/// Generated mutations of a valid wire object, one or two applied in turn: truncation, extension, bit flips, bytes set
/// to 0, 0xFF or at random, a 32-bit field (the header's length, a count, or any aligned or unaligned word) set to a
/// boundary or a random value, the header's version, kind or flags changed, a coefficient-sized run set at, just over
/// or far over the modulus, bytes inserted, deleted or repeated, a valid object of another kind or of other parameters
/// (as it is, or relabelled with this object's header), and garbage.
/// </summary>
public static class WireMutations
{
    private const int HeaderLength = 44;

    /// <param name="valid">The object to mutate.</param>
    /// <param name="foreign">Valid objects of other kinds or parameters.</param>
    /// <param name="modulus">The first coefficient modulus of the object's parameters.</param>
    public static Gen<Fuzzed> Of(byte[] valid, IReadOnlyList<byte[]> foreign, ulong modulus)
    {
        var once = Once(valid, foreign, modulus);
        var twice = once.SelectMany(first => Once(first.Bytes, foreign, modulus).Select(second => new Fuzzed($"{first.Mutation}, then {second.Mutation}", second.Bytes)));
        return Gen.Frequency((3, once), (1, twice));
    }

    private static Gen<Fuzzed> Once(byte[] valid, IReadOnlyList<byte[]> foreign, ulong modulus)
    {
        var garbage = Gen.Byte.Array[0, Math.Max(64, valid.Length * 2)].Select(b => new Fuzzed("garbage", b));
        if (valid.Length < 8)
        {
            return garbage;
        }

        var length = valid.Length;
        var width = (int)((64 - ulong.LeadingZeroCount(modulus) + 7) / 8);
        var largest = width == 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1;
        var mutations = new List<Gen<Fuzzed>>
        {
            Gen.Int[0, length - 1].Select(cut => new Fuzzed($"truncated to {cut}", valid[..cut])),
            Gen.Byte.Array[1, 64].Select(tail => new Fuzzed($"{tail.Length} bytes appended", [.. valid, .. tail])),
            Gen.Int[0, (length * 8) - 1].Array[1, 8].Select(bits => new Fuzzed($"bits {string.Join(' ', bits)} flipped", Flipped(valid, bits))),
            Gen.Select(Gen.Int[0, length - 1], Gen.OneOf(Gen.Const((byte)0), Gen.Const((byte)0xFF), Gen.Byte)).Array[1, 4]
                .Select(sets => new Fuzzed($"bytes set {string.Join(' ', sets.Select(s => $"{s.Item1}={s.Item2:X2}"))}", Set(valid, sets))),
            Gen.Select(Gen.OneOf(Gen.Const(Math.Min(40, length - 4)), Gen.Int[0, (length - 4) / 4].Select(i => i * 4), Gen.Int[0, length - 4]),
                    Gen.OneOf(Gen.OneOf(0, 1, -1, int.MinValue, int.MaxValue, 1 << 20, 1 << 30, length, length - HeaderLength + 1, 512 * 1024 * 1024), Gen.Int))
                .Select((offset, value) => new Fuzzed($"int32 at {offset} set to {value}", Int32Set(valid, offset, value))),
            Gen.Select(Gen.Int[4, 7], Gen.Byte).Select((offset, value) => new Fuzzed($"header byte {offset} set to {value}", Set(valid, [(offset, value)]))),
            Gen.Select(Gen.Int[Math.Min(HeaderLength, length - width), length - width], Gen.OneOf(Gen.OneOf(modulus, modulus + 1, largest), Gen.ULong[modulus, largest]))
                .Select((offset, value) => new Fuzzed($"{width} bytes at {offset} set to {value} (modulus {modulus})", CoefficientSet(valid, offset, width, value))),
            Gen.Select(Gen.Int[0, length], Gen.Byte.Array[1, 64]).Select((at, bytes) => new Fuzzed($"{bytes.Length} bytes inserted at {at}", [.. valid[..at], .. bytes, .. valid[at..]])),
            Gen.Select(Gen.Int[0, length - 1], Gen.Int[1, 256]).Select((at, count) => new Fuzzed($"{Math.Min(count, length - at)} bytes deleted at {at}", [.. valid[..at], .. valid[Math.Min(length, at + count)..]])),
            Gen.Select(Gen.Int[0, length - 1], Gen.Int[1, 256]).Select((at, count) => new Fuzzed($"bytes {at}..{Math.Min(length, at + count)} repeated", [.. valid[..Math.Min(length, at + count)], .. valid[at..]])),
            garbage,
        };
        if (foreign.Count > 0)
        {
            mutations.Add(Gen.Select(Gen.Int[0, foreign.Count - 1], Gen.Bool).Select((i, relabel) => relabel
                ? new Fuzzed($"foreign object {i} under this object's header", [.. valid[..Math.Min(HeaderLength, length)], .. foreign[i].AsSpan(Math.Min(HeaderLength, foreign[i].Length))])
                : new Fuzzed($"foreign object {i}", foreign[i])));
        }
        return Gen.OneOf([.. mutations]);
    }

    private static byte[] Flipped(byte[] valid, int[] bits)
    {
        var bytes = (byte[])valid.Clone();
        foreach (var bit in bits)
        {
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        }
        return bytes;
    }

    private static byte[] Set(byte[] valid, (int Offset, byte Value)[] sets)
    {
        var bytes = (byte[])valid.Clone();
        foreach (var (offset, value) in sets)
        {
            bytes[offset] = value;
        }
        return bytes;
    }

    private static byte[] Int32Set(byte[] valid, int offset, int value)
    {
        var bytes = (byte[])valid.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value);
        return bytes;
    }

    private static byte[] CoefficientSet(byte[] valid, int offset, int width, ulong value)
    {
        var bytes = (byte[])valid.Clone();
        Span<byte> word = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(word, value);
        word[..width].CopyTo(bytes.AsSpan(offset));
        return bytes;
    }
}
