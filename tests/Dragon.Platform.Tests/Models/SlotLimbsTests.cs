using System.Security.Cryptography;
using Dragon.Contracts.Jobs;
using Dragon.Homomorphic;

namespace Dragon.Platform.Tests.Models;

/// <summary>
/// Numbers spread over limbs: every node's digits fit its share of the plaintext range, the summed digits of any
/// members' numbers decode to the sum of the numbers, and a number too large for its limbs is refused.
/// </summary>
public sealed class SlotLimbsTests
{
    [Theory]
    [InlineData("bfv-4096", 3, "sum", 3)]
    [InlineData("bfv-4096", 16, "variance", 3)]
    [InlineData("bfv-4096", 3, "count", 2)]
    [InlineData("bfv-8192", 3, "glm", 2)]
    [InlineData("bfv-8192", 16, "count", 1)]
    public void For_TakesEnoughLimbsForTheKindsMagnitudes(string preset, int members, string kind, int limbs) =>
        Assert.Equal(limbs, JobLimbs(preset, members, kind).Count);

    /// <summary>200 random draws per row: members' vectors of random magnitude and sign, summed digit by digit modulo t as the ciphertexts are.</summary>
    [Theory]
    [InlineData("bfv-4096", 3)]
    [InlineData("bfv-4096", 16)]
    [InlineData("bfv-8192", 2)]
    [InlineData("bfv-8192", 10)]
    public void SummedDigits_OfManyMembers_DecodeToTheSumOfTheirNumbers(string preset, int members)
    {
        var parameters = EncryptionParameters.FromPreset(preset);
        var encoder = new IntegerEncoder(parameters);
        var limbs = JobLimbs(preset, members, "sum");
        for (var draw = 0; draw < 200; draw++)
        {
            var vectors = Enumerable.Range(0, members).Select(_ => Enumerable.Range(0, 5).Select(_ => RandomNumber(long.MaxValue / members)).ToArray()).ToList();
            var slots = new long[limbs.SlotsFor(5)];
            foreach (var digits in vectors.Select(v => limbs.Encode(v)))
            {
                Assert.All(digits, d => Assert.InRange(d, encoder.MinValue / members, encoder.MaxValue / members));
                for (var i = 0; i < slots.Length; i++)
                {
                    slots[i] += digits[i];
                }
            }
            Assert.All(slots, s => Assert.InRange(s, encoder.MinValue, encoder.MaxValue));
            Assert.Equal(Enumerable.Range(0, 5).Select(i => vectors.Sum(v => v[i])), limbs.Decode(slots));
        }
    }

    [Fact]
    public void Encode_OfANumberBeyondItsLimbs_IsRefused()
    {
        var limbs = JobLimbs("bfv-4096", 3, "count");

        Assert.Throws<ArgumentOutOfRangeException>(() => limbs.Encode([1L << (limbs.Count * limbs.BaseBits)]));
    }

    [Fact]
    public void Decode_OfASumBeyond64Bits_Overflows()
    {
        var limbs = JobLimbs("bfv-8192", 3, "sum");

        Assert.Throws<OverflowException>(() => limbs.Decode([0, 1L << 50]));
    }

    private static SlotLimbs JobLimbs(string preset, int members, string kind) =>
        Dragon.Platform.Jobs.JobManifest.Limbs(EncryptionParameters.FromPreset(preset), members, kind);

    private static long RandomNumber(long bound)
    {
        var bits = RandomNumberGenerator.GetInt32(0, 63);
        var magnitude = (long)(RandomNumberGenerator.GetInt32(int.MaxValue) * (double)Math.Min(bound, 1L << bits) / int.MaxValue);
        return RandomNumberGenerator.GetInt32(2) == 0 ? magnitude : -magnitude;
    }
}
