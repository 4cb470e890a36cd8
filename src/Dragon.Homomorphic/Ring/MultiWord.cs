namespace Dragon.Homomorphic.Ring;

/// <summary>Little-endian multi-precision unsigned integers in spans of 64-bit limbs, all of one length.</summary>
internal static class MultiWord
{
    /// <summary>accumulator += a * b.</summary>
    public static void MultiplyAdd(Span<ulong> accumulator, ReadOnlySpan<ulong> a, ulong b)
    {
        ulong carry = 0;
        for (int i = 0; i < accumulator.Length; i++)
        {
            ulong high = Math.BigMul(a[i], b, out ulong low);
            ulong sum = accumulator[i] + low;
            high += sum < low ? 1UL : 0UL;
            sum += carry;
            high += sum < carry ? 1UL : 0UL;
            accumulator[i] = sum;
            carry = high;
        }
    }

    /// <summary>accumulator -= a * b; the caller guarantees the result is not negative.</summary>
    public static void MultiplySubtract(Span<ulong> accumulator, ReadOnlySpan<ulong> a, ulong b)
    {
        ulong borrow = 0;
        for (int i = 0; i < accumulator.Length; i++)
        {
            ulong high = Math.BigMul(a[i], b, out ulong low);
            ulong subtrahend = low + borrow;
            high += subtrahend < low ? 1UL : 0UL;
            ulong value = accumulator[i];
            accumulator[i] = value - subtrahend;
            borrow = high + (value < subtrahend ? 1UL : 0UL);
        }
    }

    /// <summary>accumulator -= a; the caller guarantees accumulator is at least a.</summary>
    public static void Subtract(Span<ulong> accumulator, ReadOnlySpan<ulong> a)
    {
        ulong borrow = 0;
        for (int i = 0; i < accumulator.Length; i++)
        {
            ulong value = accumulator[i];
            ulong subtrahend = a[i] + borrow;
            bool overflow = subtrahend < borrow;
            accumulator[i] = value - subtrahend;
            borrow = overflow || value < subtrahend ? 1UL : 0UL;
        }
    }

    /// <summary>accumulator = a - accumulator; the caller guarantees a is at least accumulator.</summary>
    public static void SubtractFrom(ReadOnlySpan<ulong> a, Span<ulong> accumulator)
    {
        ulong borrow = 0;
        for (int i = 0; i < accumulator.Length; i++)
        {
            ulong value = a[i];
            ulong subtrahend = accumulator[i] + borrow;
            bool overflow = subtrahend < borrow;
            accumulator[i] = value - subtrahend;
            borrow = overflow || value < subtrahend ? 1UL : 0UL;
        }
    }

    public static int Compare(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        for (int i = a.Length - 1; i >= 0; i--)
        {
            if (a[i] != b[i])
            {
                return a[i] < b[i] ? -1 : 1;
            }
        }

        return 0;
    }

    public static int BitLength(ReadOnlySpan<ulong> a)
    {
        for (int i = a.Length - 1; i >= 0; i--)
        {
            if (a[i] != 0)
            {
                return (64 * i) + 64 - System.Numerics.BitOperations.LeadingZeroCount(a[i]);
            }
        }

        return 0;
    }
}
