using Dragon.Platform.Policies;

namespace Dragon.Platform.Tests.Policies;

public sealed class DataUsePolicyTests
{
    [Fact]
    public void Load_ShippedPolicy_HasTheDuoPermissionHierarchy()
    {
        var policy = DataUsePolicy.Load(new PolicyOptions().ResolveDirectory());

        Assert.Equal("DUO:0000042", policy.Find("DUO:0000006")!.Parent);
        Assert.Equal("DUO:0000006", policy.Find("DUO:0000007")!.Parent);
        Assert.Equal(DataUseTermKind.Modifier, policy.Find("DUO:0000021")!.Kind);
        Assert.All(policy.Terms, term => Assert.False(string.IsNullOrWhiteSpace(term.PlainLanguage)));
    }

    [Fact]
    public void Load_MissingFile_ThrowsWithItsCode()
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            var exception = Assert.Throws<PolicyException>(() => DataUsePolicy.Load(folder.FullName));
            Assert.StartsWith("policy.data_use.missing", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(true);
        }
    }

    [Theory]
    [InlineData("{ not json", "policy.data_use.malformed")]
    [InlineData("""{ "terms": [] }""", "policy.data_use.empty")]
    [InlineData("""{ "terms": [ { "code": "DUO:1", "shorthand": "A", "kind": "permission", "parent": "DUO:2", "label": "a", "plainLanguage": "a" } ] }""", "policy.data_use.unknown_parent")]
    public void Load_BrokenFile_ThrowsWithItsCode(string content, string code)
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, DataUsePolicy.FileName), content);
            var exception = Assert.Throws<PolicyException>(() => DataUsePolicy.Load(folder.FullName));
            Assert.StartsWith(code, exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(true);
        }
    }
}
