using Dragon.Platform.Policies;

namespace Dragon.Platform.Tests.Policies;

/// <summary>The one function that decides whether a consent covers a purpose, over the whole DUO hierarchy.</summary>
public sealed class DataUseCoverageTests
{
    private static readonly DataUsePolicy Policy = DataUsePolicy.Load(new PolicyOptions().ResolveDirectory());

    private const string Nres = "DUO:0000004";
    private const string Gru = "DUO:0000042";
    private const string Hmb = "DUO:0000006";
    private const string Ds = "DUO:0000007";
    private const string Poa = "DUO:0000011";
    private const string Cc = "DUO:0000043";
    private const string Irb = "DUO:0000021";

    [Theory]
    [InlineData(Nres, Nres, true)]
    [InlineData(Nres, Gru, true)]
    [InlineData(Nres, Hmb, true)]
    [InlineData(Nres, Ds, true)]
    [InlineData(Nres, Poa, true)]
    [InlineData(Nres, Cc, true)]
    [InlineData(Gru, Nres, false)]
    [InlineData(Gru, Gru, true)]
    [InlineData(Gru, Hmb, true)]
    [InlineData(Gru, Ds, true)]
    [InlineData(Gru, Poa, true)]
    [InlineData(Gru, Cc, false)]
    [InlineData(Hmb, Gru, false)]
    [InlineData(Hmb, Hmb, true)]
    [InlineData(Hmb, Ds, true)]
    [InlineData(Hmb, Poa, false)]
    [InlineData(Ds, Hmb, false)]
    [InlineData(Ds, Ds, true)]
    [InlineData(Ds, Gru, false)]
    [InlineData(Poa, Poa, true)]
    [InlineData(Poa, Hmb, false)]
    [InlineData(Cc, Cc, true)]
    [InlineData(Cc, Ds, false)]
    [InlineData(Irb, Ds, false)]
    [InlineData(Irb, Irb, false)]
    [InlineData(Gru, Irb, false)]
    [InlineData(Gru, "DUO:9999999", false)]
    public void Covers_OneGrantedCode(string granted, string purpose, bool expected)
    {
        Assert.Equal(expected, Policy.Covers([granted], purpose));
    }

    [Fact]
    public void Covers_WithSeveralCodes_TakesAnyPermission()
    {
        Assert.True(Policy.Covers([Irb, Poa, Hmb], Ds));
        Assert.False(Policy.Covers([Irb, Poa], Ds));
        Assert.False(Policy.Covers([], Ds));
    }

    [Fact]
    public void EveryPermission_CoversItselfAndIsCoveredByNoRestriction()
    {
        foreach (var term in Policy.Terms.Where(t => t.Kind == DataUseTermKind.Permission))
        {
            Assert.True(Policy.Covers([term.Code], term.Code), term.Code);
            Assert.True(Policy.Covers([Nres], term.Code), term.Code);
        }
    }
}
