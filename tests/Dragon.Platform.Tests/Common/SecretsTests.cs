using Dragon.Platform.Common;

namespace Dragon.Platform.Tests.Common;

public sealed class SecretsTests
{
    /// <summary>Among 20,000 tokens about 310 would start with '-' by chance; none may, as a command line would read it as an option.</summary>
    [Fact]
    public void NewToken_ManyTokens_AreDistinctBase64UrlAndNeverStartWithADash()
    {
        var tokens = Enumerable.Range(0, 20_000).Select(_ => Secrets.NewToken()).ToList();

        Assert.All(tokens, token => Assert.Matches("^[A-Za-z0-9_][A-Za-z0-9_-]{42}$", token));
        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(tokens, token => token.Contains('-', StringComparison.Ordinal));
    }
}
