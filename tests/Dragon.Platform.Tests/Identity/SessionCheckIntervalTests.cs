using Dragon.Platform.Api.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Dragon.Platform.Tests.Identity;

public sealed class SessionCheckIntervalTests
{
    [Theory]
    [InlineData(null, null, "00:01:00")]
    [InlineData("00:05:00", null, "00:05:00")]
    [InlineData(null, "00:03:00", "00:03:00")]
    [InlineData("00:05:00", "00:03:00", "00:05:00")]
    public void SessionCheckInterval_ReadsTheCurrentNameThenTheEarlierOne(string? current, string? earlier, string expected)
    {
        var settings = new Dictionary<string, string?>();
        if (current is not null)
        {
            settings["Identity:SessionCheckInterval"] = current;
        }
        if (earlier is not null)
        {
            settings["Portal:SessionCheckInterval"] = earlier;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        Assert.Equal(TimeSpan.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), IdentitySetup.SessionCheckInterval(configuration));
    }
}
