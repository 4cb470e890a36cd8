using Dragon.Contracts.Catalogue;
using Dragon.Node.Cli;
using Dragon.Node.Data;
using Dragon.Node.Tests.Infrastructure;

namespace Dragon.Node.Tests.Data;

public sealed class CsvDataSourceTests : IDisposable
{
    private const string Header = "subject_ref,age,crp,sex,icu,admitted\n";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Read_GoodRows_TypesEachValueByItsVariable()
    {
        var data = await ReadAsync(Header + "pt-1,64,12.5,male,true,2020-03-14\n\"pt-2\",41,-1.25e1,female,FALSE,2021-11-02\npt-3,,,,,\n");

        Assert.True(data.IsComplete);
        Assert.Equal(3, data.Records.Count);
        var first = data.Records[0];
        Assert.Equal("pt-1", first.SubjectRef);
        Assert.Equal(64L, first.Values["age"]);
        Assert.Equal(12.5m, first.Values["crp"]);
        Assert.Equal("male", first.Values["sex"]);
        Assert.Equal(true, first.Values["icu"]);
        Assert.Equal(new DateOnly(2020, 3, 14), first.Values["admitted"]);
        Assert.Equal(-12.5m, data.Records[1].Values["crp"]);
        Assert.Equal(false, data.Records[1].Values["icu"]);
        Assert.All(data.Records[2].Values.Values, Assert.Null);
    }

    [Fact]
    public async Task Read_ColumnsInAnotherOrder_MatchesThemByName()
    {
        var data = await ReadAsync("admitted,icu,sex,crp,age,subject_ref\n2020-03-14,true,male,1.5,64,pt-1\n");

        Assert.Equal(64L, Assert.Single(data.Records).Values["age"]);
    }

    [Theory]
    [InlineData("pt-1,64.5,1,male,true,2020-03-14", "age: expected a whole number, found '64.5'.")]
    [InlineData("pt-1,64,\"1,5\",male,true,2020-03-14", "crp: expected a number with a '.' decimal point, found '1,5'.")]
    [InlineData("pt-1,64,1,unknown,true,2020-03-14", "sex: expected one of female, male, found 'unknown'.")]
    [InlineData("pt-1,64,1,male,yes,2020-03-14", "icu: expected true or false, found 'yes'.")]
    [InlineData("pt-1,64,1,male,true,14/03/2020", "admitted: expected a date as yyyy-MM-dd, found '14/03/2020'.")]
    [InlineData("pt-1,64,1,male,true", "expected 6 fields as in the header, found 5.")]
    [InlineData("pt 1,64,1,male,true,2020-03-14", "subject_ref may hold only letters, digits, '.', '_', ':' and '-'.")]
    [InlineData(",64,1,male,true,2020-03-14", "subject_ref is empty.")]
    public async Task Read_BadRow_LeavesItOutAndReportsItsLine(string row, string message)
    {
        var data = await ReadAsync(Header + "pt-0,30,2.0,female,false,2020-01-01\n" + row + "\npt-9,31,2.0,male,false,2020-01-02\n");

        Assert.Equal(["pt-0", "pt-9"], data.Records.Select(r => r.SubjectRef));
        var problem = Assert.Single(data.Problems);
        Assert.Equal(3, problem.Row);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public async Task Read_RowWithSeveralBadValues_ReportsThemAll()
    {
        var data = await ReadAsync(Header + "pt-1,old,high,male,true,2020-03-14\n");

        var problem = Assert.Single(data.Problems);
        Assert.Contains("age:", problem.Message, StringComparison.Ordinal);
        Assert.Contains("crp:", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_RepeatedSubject_ReportsTheFirstLine()
    {
        var data = await ReadAsync(Header + "pt-1,64,1,male,true,2020-03-14\npt-1,65,1,male,true,2020-03-15\n");

        Assert.Equal("subject pt-1 already appears in row 2.", Assert.Single(data.Problems).Message);
    }

    [Theory]
    [InlineData("subject_ref,age,crp,sex,icu\n", "lacks the cohort's variable(s) admitted")]
    [InlineData("subject_ref,age,crp,sex,icu,admitted,weight\n", "column(s) weight are not variables of the cohort")]
    [InlineData("id,age,crp,sex,icu,admitted\n", "has no subject_ref column")]
    [InlineData("", "is empty")]
    public async Task Read_BadHeader_Throws(string text, string message)
    {
        var failure = await Assert.ThrowsAsync<NodeException>(() => ReadAsync(text));

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_UnknownVariableType_Throws()
    {
        var source = new CsvDataSource(_temp.File("data.csv", "subject_ref,bmi\n"));

        var failure = await Assert.ThrowsAsync<NodeException>(() =>
            source.ReadAsync([new VariableDefinition("bmi", "BMI", "float")], CancellationToken.None));

        Assert.Contains("Variable 'bmi' has type 'float'", failure.Message, StringComparison.Ordinal);
    }

    private Task<LocalDataSet> ReadAsync(string text) =>
        new CsvDataSource(_temp.File("data.csv", text)).ReadAsync(CohortVariables.All, CancellationToken.None);
}
