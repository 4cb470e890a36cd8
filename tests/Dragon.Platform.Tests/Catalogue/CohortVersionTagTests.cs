using Dragon.Platform.Api.Features.Catalogue;

namespace Dragon.Platform.Tests.Catalogue;

public sealed class CohortVersionTagTests
{
    [Theory]
    [InlineData("\"3\"", 3)]
    [InlineData("W/\"12\"", 12)]
    [InlineData("7", 7)]
    [InlineData(" \"1\" ", 1)]
    public void TryParse_EntityTagOfAVersion_ReadsTheVersion(string value, int expected)
    {
        Assert.True(CohortVersionTag.TryParse(value, out var version));
        Assert.Equal(expected, version);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"0\"")]
    [InlineData("\"-1\"")]
    [InlineData("*")]
    [InlineData("\"1\", \"2\"")]
    public void TryParse_AnythingElse_Fails(string value)
    {
        Assert.False(CohortVersionTag.TryParse(value, out _));
    }
}
