namespace Dragon.Node.Data;

/// <summary>The records that were read, and the rows that were left out with why.</summary>
public sealed record LocalDataSet(IReadOnlyList<LocalRecord> Records, IReadOnlyList<LocalDataProblem> Problems)
{
    public bool IsComplete => Problems.Count == 0;
}
