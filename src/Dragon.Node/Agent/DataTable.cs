namespace Dragon.Node.Agent;

/// <summary>One <c>--data-table</c> of <c>run</c>: the provider's canonical name and the table or view holding a cohort.</summary>
public sealed record DataTable(string Provider, string Table);
