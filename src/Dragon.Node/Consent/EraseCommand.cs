using System.Globalization;
using Dragon.Contracts.Consent;
using Dragon.Node.Cli;
using Dragon.Node.Platform;

namespace Dragon.Node.Consent;

/// <summary>
/// <c>erase</c>: asks the platform to erase one subject (GDPR art. 17). Its consents are withdrawn at once; the platform
/// drops the pseudonym once this node's agent has read those withdrawals at its next consent sync.
/// </summary>
public static class EraseCommand
{
    public const string Name = "erase";
    public const string Usage = "erase --state DIR --subject REF";

    public static async Task<int> RunAsync(CommandLine line, NodeConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        line.AllowOnly("state", "subject");
        var subject = line.Required("subject");
        using var session = await NodeSession.SignInAsync(line.Required("state"), console, cancellationToken);
        var erased = await session.Platform.EraseSubjectAsync(new SubjectErasureRequest(subject), cancellationToken);
        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Subject {subject}: {erased.ConsentsWithdrawn} consent(s) withdrawn."));
        await console.Out.WriteLineAsync(erased.Complete
            ? "The platform holds nothing of this pseudonym any more."
            : "The platform removes the pseudonym once this node's agent has read the withdrawals (its next consent sync).");
        return 0;
    }
}
