using Dragon.Node.Cli;
using Dragon.Node.Consent;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Consent;

public sealed class ConsentCsvTests : IDisposable
{
    private static readonly Guid Cohort = Guid.Parse("5b0c6f3e-1f7a-4d8e-9a51-3f2c7e0d9b11");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_Rows_BuildsOneRequestPerLine()
    {
        var rows = Read($"status,subject_ref,purposes,cohort_id,evidence\ngranted,pt-1, DUO:0000042 ; DUO:0000006 ,{Cohort},form 2020-03-14\nwithdrawn,pt-2,DUO:0000042,{Cohort},\n");

        Assert.Equal(2, rows.Count);
        var first = rows[0].Request!;
        Assert.Equal(2, rows[0].Line);
        Assert.Equal("pt-1", first.SubjectRef);
        Assert.Equal(Cohort, first.CohortId);
        Assert.Equal(["DUO:0000042", "DUO:0000006"], first.Purposes);
        Assert.Equal("granted", first.Status);
        Assert.Equal("form 2020-03-14", first.Evidence);
        Assert.Null(rows[1].Request!.Evidence);
    }

    [Theory]
    [InlineData("pt-1,cohort-a,DUO:0000042,granted", "cohort_id 'cohort-a' is not a cohort id")]
    [InlineData("pt-1,DUO:0000042,granted", "expected 4 fields as in the header, found 3.")]
    public void Read_BadRow_CarriesItsProblem(string row, string problem)
    {
        var rows = Read("subject_ref,cohort_id,purposes,status\n" + row + "\n");

        Assert.Null(rows[0].Request);
        Assert.StartsWith(problem, rows[0].Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("subject_ref,cohort_id,purposes\n", "lacks status")]
    [InlineData("subject_ref,cohort_id,purposes,status,name\n", "unknown column 'name'")]
    public void Read_BadHeader_Throws(string text, string message) =>
        Assert.Contains(message, Assert.Throws<NodeException>(() => Read(text)).Message, StringComparison.Ordinal);

    private IReadOnlyList<ConsentRow> Read(string text) => ConsentCsv.Read(_temp.File("consents.csv", text));
}
