using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dragon.Platform.Tests.Infrastructure;

namespace Dragon.Platform.Tests.Identity;

/// <summary>The platform's own sign-in page runs no script and no inline style but its own, named by hash.</summary>
public sealed partial class IdentityPageTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();

    [Fact]
    public async Task LoginPage_AllowsOnlyItsOwnStylesheetByHash()
    {
        var response = await fixture.Factory.CreateClient().GetAsync("/account/login");
        var html = await response.Content.ReadAsStringAsync();

        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        var style = StyleElement().Match(html).Groups[1].Value;
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.StartsWith("default-src 'none';", csp, StringComparison.Ordinal);
        Assert.Contains($"style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'", csp, StringComparison.Ordinal);
    }
}
