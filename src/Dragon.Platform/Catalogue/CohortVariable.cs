namespace Dragon.Platform.Catalogue;

/// <summary>A variable a cohort holds per subject; its name is the column name in the node's data file.</summary>
public sealed class CohortVariable
{
    /// <summary>Where the variable stands in the cohort's list, which keeps the order its publisher gave.</summary>
    public int Position { get; init; }
    public required string Name { get; init; }
    public required string Label { get; init; }
    public required VariableType Type { get; init; }
    public string? Unit { get; init; }
    public List<string> Categories { get; init; } = [];
    /// <summary>The declared bounds of a numeric variable, both or neither.</summary>
    public decimal? Min { get; init; }
    public decimal? Max { get; init; }
}
