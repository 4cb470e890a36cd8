using System.Buffers.Binary;
using Dragon.Homomorphic.Ring;

namespace Dragon.Homomorphic;

/// <summary>Sequential writer of body fields into a span sized beforehand with BinarySize.</summary>
internal ref struct WireWriter(Span<byte> destination)
{
    private readonly Span<byte> destination = destination;

    public int Position { get; private set; }

    public void WriteByte(byte value) => destination[Position++] = value;

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(Position), value);
        Position += 4;
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(Position), value);
        Position += 8;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(destination.Slice(Position));
        Position += value.Length;
    }

    public void WritePoly(RnsBasis basis, ReadOnlySpan<ulong> poly)
    {
        int n = basis.PolyDegree;
        Span<byte> word = stackalloc byte[8];
        for (int level = 0; level < basis.Count; level++)
        {
            int width = WireFormat.BytesPerCoefficient(basis.Moduli[level]);
            ReadOnlySpan<ulong> values = poly.Slice(level * n, n);
            Span<byte> target = destination.Slice(Position, width * n);
            int j = 0;
            for (; (j * width) + 8 <= target.Length; j++)
            {
                // Write all eight bytes; the next coefficient overwrites the high ones (they are zero anyway).
                BinaryPrimitives.WriteUInt64LittleEndian(target.Slice(j * width), values[j]);
            }

            for (; j < n; j++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(word, values[j]);
                word.Slice(0, width).CopyTo(target.Slice(j * width));
            }

            Position += width * n;
        }
    }
}
