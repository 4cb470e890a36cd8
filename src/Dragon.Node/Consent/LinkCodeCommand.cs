using System.Globalization;
using Dragon.Contracts.Consent;
using Dragon.Node.Cli;
using Dragon.Node.Platform;

namespace Dragon.Node.Consent;

/// <summary><c>link-code</c>: asks for a one-time code for one subject of one cohort and prints it, for the site to hand the patient.</summary>
public static class LinkCodeCommand
{
    public const string Name = "link-code";
    public const string Usage = "link-code --state DIR --subject REF --cohort COHORT_ID";

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        line.AllowOnly("state", "subject", "cohort");
        var subject = line.Required("subject");
        var cohortText = line.Required("cohort");
        if (!Guid.TryParse(cohortText, out var cohortId))
        {
            throw new UsageException($"--cohort must be a cohort id (a GUID, as publish-cohort prints); '{cohortText}' is not.");
        }
        using var session = await NodeSession.SignInAsync(line.Required("state"), console, cancellationToken);
        var code = await session.Platform.IssueLinkCodeAsync(new LinkCodeRequest(subject, cohortId), cancellationToken);
        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"One-time code for subject {subject}, valid until {code.ExpiresAt:yyyy-MM-dd HH:mm} UTC; hand it to the patient only."));
        await console.Out.WriteLineAsync(code.Code);
        return 0;
    }
}
