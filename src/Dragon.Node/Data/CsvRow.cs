namespace Dragon.Node.Data;

/// <summary>One record of a CSV file and the line it starts on (the header is line 1).</summary>
public sealed record CsvRow(int Line, IReadOnlyList<string> Fields);
