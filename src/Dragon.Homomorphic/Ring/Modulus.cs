using System.Numerics;
using System.Runtime.CompilerServices;

namespace Dragon.Homomorphic.Ring;

/// <summary>
/// A word-sized modulus (below 2^61) with its Barrett constant floor(2^128 / q), and the modular
/// arithmetic the rest of the engine builds on. Shoup multiplication by a fixed operand w uses the
/// precomputed floor(w * 2^64 / q) and returns a lazily reduced value in [0, 2q).
/// </summary>
internal readonly struct Modulus
{
    /// <summary>Largest modulus accepted: 4q must fit a word for the lazy NTT butterflies.</summary>
    public const ulong MaxValue = (1UL << 61) - 1;

    public Modulus(ulong value)
    {
        if (value < 2 || value > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A modulus must lie in [2, 2^61).");
        }

        Value = value;
        UInt128 ratio = UInt128.MaxValue / value;
        if (UInt128.MaxValue % value == value - 1)
        {
            ratio++;
        }

        RatioHigh = (ulong)(ratio >> 64);
        RatioLow = (ulong)ratio;
        BitCount = 64 - BitOperations.LeadingZeroCount(value);
    }

    public ulong Value { get; }

    public ulong RatioHigh { get; }

    public ulong RatioLow { get; }

    public int BitCount { get; }

    /// <summary>Quotient and remainder of the 128-bit value (high, low) by q; the quotient must fit a word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong DivRem(ulong high, ulong low, out ulong remainder)
    {
        ulong carry = Math.BigMul(low, RatioLow, out _);
        ulong t2High = Math.BigMul(low, RatioHigh, out ulong t2Low);
        ulong t1 = t2Low + carry;
        ulong t3 = t2High + (t1 < t2Low ? 1UL : 0UL);
        ulong h2 = Math.BigMul(high, RatioLow, out ulong l2);
        ulong sum = t1 + l2;
        carry = h2 + (sum < t1 ? 1UL : 0UL);
        ulong quotient = (high * RatioHigh) + t3 + carry;
        ulong r = low - (quotient * Value);
        while (r >= Value)
        {
            r -= Value;
            quotient++;
        }

        remainder = r;
        return quotient;
    }

    /// <summary>Reduces the 128-bit value (high, low), high below q, modulo q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Reduce128(ulong high, ulong low)
    {
        DivRem(high, low, out ulong remainder);
        return remainder;
    }

    /// <summary>Reduces any word modulo q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Reduce(ulong x)
    {
        ulong quotient = Math.BigMul(x, RatioHigh, out _);
        ulong r = x - (quotient * Value);
        return r >= Value ? r - Value : r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Multiply(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        return Reduce128(high, low);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Add(ulong a, ulong b)
    {
        ulong s = a + b;
        return s >= Value ? s - Value : s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Sub(ulong a, ulong b) => a >= b ? a - b : a + Value - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Negate(ulong a) => a == 0 ? 0 : Value - a;

    /// <summary>floor(w * 2^64 / q) for a fixed multiplicand w below q.</summary>
    public ulong ShoupPrecompute(ulong w) => (ulong)(((UInt128)w << 64) / Value);

    /// <summary>x * w mod q in [0, 2q), for any word x, given wShoup = ShoupPrecompute(w).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong MultiplyShoupLazy(ulong x, ulong w, ulong wShoup)
    {
        ulong quotient = Math.BigMul(x, wShoup, out _);
        return (x * w) - (quotient * Value);
    }

    /// <summary>x * w mod q in [0, q), for any word x, given wShoup = ShoupPrecompute(w).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong MultiplyShoup(ulong x, ulong w, ulong wShoup)
    {
        ulong r = MultiplyShoupLazy(x, w, wShoup);
        return r >= Value ? r - Value : r;
    }

    public ulong Pow(ulong baseValue, ulong exponent)
    {
        ulong result = 1 % Value;
        ulong b = Reduce(baseValue);
        while (exponent != 0)
        {
            if ((exponent & 1) != 0)
            {
                result = Multiply(result, b);
            }

            b = Multiply(b, b);
            exponent >>= 1;
        }

        return result;
    }

    /// <summary>Inverse modulo a prime q (Fermat).</summary>
    public ulong Inverse(ulong a) => Pow(a, Value - 2);

    /// <summary>Maps a signed integer to its residue modulo q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong FromSigned(long x) => x >= 0 ? Reduce((ulong)x) : Negate(Reduce((ulong)(-x)));
}
