namespace Dragon.Node.Data;

/// <summary>A row that was left out: its line in a file (the header is line 1) or its position in a table's result (from 1).</summary>
public sealed record LocalDataProblem(int Row, string Message);
