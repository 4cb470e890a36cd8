using System.Buffers.Binary;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>Sequential, bounds-checked reader of body fields; every failure is an <see cref="InvalidFormatException"/>.</summary>
internal ref struct WireReader(ReadOnlySpan<byte> source, WireKind kind)
{
    private readonly ReadOnlySpan<byte> source = source;
    private readonly WireKind kind = kind;

    public readonly int Remaining => source.Length - Position;

    public int Position { get; private set; }

    public byte ReadByte()
    {
        Need(1);
        return source[Position++];
    }

    public int ReadInt32()
    {
        Need(4);
        int value = BinaryPrimitives.ReadInt32LittleEndian(source.Slice(Position));
        Position += 4;
        return value;
    }

    public ulong ReadUInt64()
    {
        Need(8);
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(Position));
        Position += 8;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count);
        ReadOnlySpan<byte> value = source.Slice(Position, count);
        Position += count;
        return value;
    }

    /// <summary>A count in [min, max], checked before anything is sized from it.</summary>
    public int ReadCount(string what, int min, int max)
    {
        int value = ReadInt32();
        if (value < min || value > max)
        {
            throw new InvalidFormatException($"{kind}: {what} {value} lies outside [{min}, {max}].");
        }

        return value;
    }

    public void ReadPoly(RnsBasis basis, Span<ulong> poly)
    {
        int n = basis.PolyDegree;
        Span<byte> word = stackalloc byte[8];
        for (int level = 0; level < basis.Count; level++)
        {
            ulong q = basis.Moduli[level].Value;
            int width = WireFormat.BytesPerCoefficient(basis.Moduli[level]);
            Need(width * n);
            ReadOnlySpan<byte> bytes = source.Slice(Position, width * n);
            Span<ulong> values = poly.Slice(level * n, n);
            ulong mask = width == 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1;
            ulong largest = 0;
            int j = 0;
            for (; (j * width) + 8 <= bytes.Length; j++)
            {
                ulong v = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(j * width)) & mask;
                largest = Math.Max(largest, v);
                values[j] = v;
            }

            word.Clear();
            for (; j < n; j++)
            {
                bytes.Slice(j * width, width).CopyTo(word);
                values[j] = BinaryPrimitives.ReadUInt64LittleEndian(word);
                largest = Math.Max(largest, values[j]);
            }
            if (largest >= q)
            {
                int bad = values.IndexOfAnyInRange(q, ulong.MaxValue);
                throw new InvalidFormatException($"{kind}: coefficient {bad} of level {level} is not reduced modulo {q}.");
            }

            Position += width * n;
        }
    }

    public readonly void EnsureEnd()
    {
        if (Remaining != 0)
        {
            throw new InvalidFormatException($"{kind}: {Remaining} unexpected bytes at the end of the body.");
        }
    }

    private readonly void Need(int count)
    {
        if (count < 0 || Remaining < count)
        {
            throw new InvalidFormatException($"Truncated {kind}: {count} more bytes needed, {Remaining} present.");
        }
    }
}
