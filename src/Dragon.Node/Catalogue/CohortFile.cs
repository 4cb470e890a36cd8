using System.Text.Json;
using Dragon.Contracts.Catalogue;
using Dragon.Contracts.Common;
using Dragon.Node.Cli;

namespace Dragon.Node.Catalogue;

/// <summary>A cohort description in JSON, in the shape of the API's cohort request (camelCase).</summary>
public static class CohortFile
{
    /// <exception cref="NodeException">The file is missing, is not such JSON, or names no cohort.</exception>
    public static CohortRequest Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new NodeException($"The cohort file {path} does not exist.");
        }
        CohortRequest? cohort;
        try
        {
            cohort = JsonSerializer.Deserialize<CohortRequest>(File.ReadAllText(path), DragonJson.Options);
        }
        catch (JsonException exception)
        {
            throw new NodeException($"{path} is not a valid cohort description: {exception.Message}", exception);
        }
        if (cohort is null || string.IsNullOrWhiteSpace(cohort.Name))
        {
            throw new NodeException($"{path} must give the cohort a \"name\"; the node recognises its cohorts by name.");
        }
        return cohort;
    }
}
