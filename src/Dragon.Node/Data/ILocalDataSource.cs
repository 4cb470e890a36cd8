using Dragon.Contracts.Catalogue;

namespace Dragon.Node.Data;

/// <summary>A site's records for one cohort, read in place (a CSV file, a database table); they never leave the site.</summary>
public interface ILocalDataSource
{
    /// <summary>Where the records come from, for messages: a file path or a table name, never data.</summary>
    string Description { get; }

    /// <summary>
    /// Reads every record, each value typed by its variable: <c>integer</c> as <see cref="long"/>, <c>decimal</c> as
    /// <see cref="decimal"/>, <c>categorical</c> as <see cref="string"/> (one of the categories), <c>boolean</c> as
    /// <see cref="bool"/>, <c>date</c> as <see cref="DateOnly"/>; an empty value is missing (null). Rows that do not
    /// fit are left out and reported in <see cref="LocalDataSet.Problems"/>.
    /// </summary>
    /// <exception cref="Cli.NodeException">The source cannot be read at all: missing, a column missing, an unknown variable type.</exception>
    Task<LocalDataSet> ReadAsync(IReadOnlyList<VariableDefinition> variables, CancellationToken cancellationToken);
}
