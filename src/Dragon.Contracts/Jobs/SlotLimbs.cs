namespace Dragon.Contracts.Jobs;

/// <summary>
/// How a job's numbers are spread over plaintext slots so that no sum wraps around the plaintext modulus: each number
/// is written as <see cref="Count"/> signed digits ("limbs") in base 2^<see cref="BaseBits"/>, lowest first, each
/// digit in its own slot. The base is the largest power of two whose digits, one from every member of the key set,
/// still sum inside the plaintext range, so the decrypted sum of each slot is exact and the numbers are recombined
/// from them. The count of limbs covers the magnitudes the kind can produce: counts (below 2^31 records per node) or
/// any 64-bit number (sums, fixed-point models). Platform and nodes derive it from the same three facts (the key
/// set's parameters, its member count and the aggregation kind), so it needs no field of its own.
/// </summary>
public sealed record SlotLimbs(int Count, int BaseBits)
{
    /// <summary>Bits of magnitude a counting kind's numbers can take (records of one node, with room for the sum).</summary>
    public const int CountBits = 31;

    /// <summary>Bits of magnitude of any other kind's numbers: any signed 64-bit value.</summary>
    public const int AnyBits = 63;

    /// <param name="maxValue">The largest number a plaintext slot holds (the integer encoder's MaxValue for the key set's parameters).</param>
    public static SlotLimbs For(long maxValue, int members, string? kind)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxValue, 1);
        var baseBits = Math.Min(62, 63 - (int)long.LeadingZeroCount(maxValue / members) - 1);
        if (baseBits < 1)
        {
            throw new ArgumentException($"A plaintext range up to {maxValue} is too small to sum {members} nodes' numbers.", nameof(members));
        }
        var bits = kind is "count" or "histogram" or "crosstab" ? CountBits : AnyBits;
        return new SlotLimbs((bits + baseBits - 1) / baseBits, baseBits);
    }

    /// <summary>The job's slots for this many numbers.</summary>
    public int SlotsFor(int numbers) => checked(numbers * Count);

    /// <summary>The numbers as digits, number-major: number 0's limbs, then number 1's. A negative number has every digit negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number needs more limbs than <see cref="Count"/>.</exception>
    public long[] Encode(ReadOnlySpan<long> numbers)
    {
        var slots = new long[SlotsFor(numbers.Length)];
        var mask = (1L << BaseBits) - 1;
        for (var i = 0; i < numbers.Length; i++)
        {
            var magnitude = Int128.Abs(numbers[i]);
            var sign = numbers[i] < 0 ? -1 : 1;
            for (var limb = 0; limb < Count; limb++)
            {
                slots[(i * Count) + limb] = sign * (long)(magnitude & mask);
                magnitude >>= BaseBits;
            }
            if (magnitude != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(numbers), numbers[i], $"Number {i} needs more than {Count} limbs of {BaseBits} bits.");
            }
        }
        return slots;
    }

    /// <summary>The summed numbers from their summed digits.</summary>
    /// <exception cref="ArgumentException">The slot count is not a whole number of limbs.</exception>
    /// <exception cref="OverflowException">A sum does not fit 64 bits.</exception>
    public long[] Decode(ReadOnlySpan<long> slots)
    {
        if (slots.Length % Count != 0)
        {
            throw new ArgumentException($"{slots.Length} slots are not a whole number of {Count}-limb numbers.", nameof(slots));
        }
        var numbers = new long[slots.Length / Count];
        for (var i = 0; i < numbers.Length; i++)
        {
            Int128 value = 0;
            for (var limb = Count - 1; limb >= 0; limb--)
            {
                value = checked((value << BaseBits) + slots[(i * Count) + limb]);
            }
            numbers[i] = checked((long)value);
        }
        return numbers;
    }
}
