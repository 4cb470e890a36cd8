using Dragon.Node.Cli;

namespace Dragon.Node.Agent;

/// <summary>The <c>--data COHORT_ID=FILE.csv</c> options of <c>run</c>: which CSV file holds which cohort's records.</summary>
public static class DataFiles
{
    /// <exception cref="UsageException">A value is not <c>COHORT_ID=FILE</c>, or a cohort is named twice.</exception>
    /// <exception cref="NodeException">A file does not exist.</exception>
    public static IReadOnlyDictionary<Guid, string> Parse(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var files = new Dictionary<Guid, string>();
        foreach (var value in values)
        {
            var separator = value.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || !Guid.TryParse(value[..separator], out var cohortId) || separator == value.Length - 1)
            {
                throw new UsageException($"--data must be COHORT_ID=FILE.csv, not '{value}'.");
            }
            var path = Path.GetFullPath(value[(separator + 1)..]);
            if (!File.Exists(path))
            {
                throw new NodeException($"The data file {path} does not exist.");
            }
            if (!files.TryAdd(cohortId, path))
            {
                throw new UsageException($"--data names cohort {cohortId} twice.");
            }
        }
        return files;
    }
}
