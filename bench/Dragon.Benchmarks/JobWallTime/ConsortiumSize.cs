using System.Globalization;

namespace Dragon.Benchmarks.JobWallTime;

/// <summary>
/// A benchmark case's consortium, written "NODESxRECORDS" (records per node) so that BenchmarkDotNet shows it as one
/// column; a list of them comes from an environment variable, so a run can pick its cases without a rebuild.
/// </summary>
public static class ConsortiumSize
{
    public static IEnumerable<string> FromEnvironment(string variable, string defaults) =>
        (Environment.GetEnvironmentVariable(variable) ?? defaults).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static int Nodes(string size) => int.Parse(size.Split('x')[0], CultureInfo.InvariantCulture);

    public static int RecordsPerNode(string size) => int.Parse(size.Split('x')[1], CultureInfo.InvariantCulture);
}
