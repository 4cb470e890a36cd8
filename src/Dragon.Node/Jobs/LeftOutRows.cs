namespace Dragon.Node.Jobs;

/// <summary>Rows of one data source that could not be read, so were not counted.</summary>
/// <param name="Source">The data source's description (a file path or a table name).</param>
/// <param name="Rows">The rows' lines in a file (the header is line 1) or positions in a table's result.</param>
public sealed record LeftOutRows(string Source, IReadOnlyList<int> Rows);
