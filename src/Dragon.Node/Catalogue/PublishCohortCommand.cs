using System.Globalization;
using Dragon.Node.Cli;
using Dragon.Node.Platform;

namespace Dragon.Node.Catalogue;

/// <summary>
/// <c>publish-cohort</c>: creates the cohort the file describes, or, when this node already published a cohort of
/// that name, saves a new version of it (conditional on the version just read). Prints the cohort id.
/// </summary>
public static class PublishCohortCommand
{
    public const string Name = "publish-cohort";
    public const string Usage = "publish-cohort --state DIR --file cohort.json";

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        line.AllowOnly("state", "file");
        var cohort = CohortFile.Read(line.Required("file"));
        using var session = await NodeSession.SignInAsync(line.Required("state"), console, cancellationToken);

        var name = cohort.Name!;
        Guid id;
        string outcome;
        if (session.State.Cohorts.TryGetValue(name, out var known))
        {
            var current = await session.Platform.FindCohortAsync(known, cancellationToken)
                ?? throw new NodeException(
                    $"This node published cohort '{name}' as {known}, but the platform no longer shows it. " +
                    "Rename the cohort in the file to publish it as a new one, or ask the platform's administrators what happened to it.");
            var updated = await session.Platform.UpdateCohortAsync(known, current.Version, cohort, cancellationToken);
            id = updated.Id;
            outcome = string.Create(CultureInfo.InvariantCulture, $"Updated cohort '{name}' to version {updated.Version}.");
        }
        else
        {
            var created = await session.Platform.CreateCohortAsync(cohort, cancellationToken);
            id = created.Id;
            session.RememberCohort(name, id);
            outcome = $"Created cohort '{name}'.";
        }
        await console.Error.WriteLineAsync(outcome);
        await console.Out.WriteLineAsync(id.ToString());
        return 0;
    }
}
