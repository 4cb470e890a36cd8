using CsCheck;
using Dragon.Homomorphic;
using Dragon.Node.Jobs;

namespace Dragon.Node.Tests.Jobs;

public sealed class PlaintextShareTests
{
    private static readonly IntegerEncoder Encoder = new(EncryptionParameters.FromPreset("bfv-4096"));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public void FirstOutside_AtTheEdgesOfTheShare_FindsOnlyTheNumberPastThem(int participants)
    {
        var share = PlaintextShare.For(Encoder, participants);

        Assert.Equal(-1, share.FirstOutside([share.Lowest, 0, share.Highest]));
        Assert.Equal(1, share.FirstOutside([0, share.Highest + 1, 0]));
        Assert.Equal(2, share.FirstOutside([0, 0, share.Lowest - 1]));
    }

    [Fact]
    public void FirstOutside_ANumberThatFitsTheWholeRangeButNotTheShare_IsRefused()
    {
        var share = PlaintextShare.For(Encoder, participants: 3);

        Assert.Equal(0, share.FirstOutside([Encoder.MaxValue / 2]));
    }

    [Fact]
    public void Shares_OfEveryParticipant_NeverSumPastThePlaintextRange()
    {
        Gen.Int[1, 12].SelectMany(n => Gen.Long[PlaintextShare.For(Encoder, n).Lowest, PlaintextShare.For(Encoder, n).Highest].Array[n])
            .Sample(values => values.Sum() >= Encoder.MinValue && values.Sum() <= Encoder.MaxValue, iter: 2000);
    }
}
