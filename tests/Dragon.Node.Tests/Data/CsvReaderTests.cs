using Dragon.Node.Cli;
using Dragon.Node.Data;

namespace Dragon.Node.Tests.Data;

public sealed class CsvReaderTests
{
    [Fact]
    public void Read_QuotedFieldsAndCrLf_SplitsAsRfc4180()
    {
        var rows = Read("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\r\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal(["a", "b", "c"], rows[0].Fields);
        Assert.Equal(["x, y", "say \"hi\"", ""], rows[1].Fields);
    }

    [Fact]
    public void Read_LineBreakInsideQuotesAndBlankLines_NumbersRowsByTheirFirstLine()
    {
        var rows = Read("h1,h2\n\n\"two\nlines\",1\nlast,2");

        Assert.Equal([1, 3, 5], rows.Select(r => r.Line));
        Assert.Equal("two\nlines", rows[1].Fields[0]);
        Assert.Equal(["last", "2"], rows[2].Fields);
    }

    [Theory]
    [InlineData("a,b\n\"open,1\n", "Line 2: a quoted field is not closed")]
    [InlineData("a,b\n\"x\"y,1\n", "Line 2: text after a closing quote")]
    public void Read_BrokenQuoting_Throws(string text, string message)
    {
        var failure = Assert.Throws<NodeException>(() => Read(text));

        Assert.StartsWith(message, failure.Message, StringComparison.Ordinal);
    }

    private static List<CsvRow> Read(string text)
    {
        using var reader = new StringReader(text);
        return CsvReader.Read(reader).ToList();
    }
}
