using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Dragon.Contracts.Common;
using Dragon.Contracts.Jobs;
using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>
/// What this hospital requires of a job before it takes part, whatever the platform allows: kept as
/// <c>policy.json</c> in the state folder (absent: the defaults). An unknown key is an error, so a misspelt rule is
/// never silently ignored.
/// </summary>
/// <param name="MinSites">The fewest participating nodes a job may have: an aggregate of fewer sites says too much about each.</param>
/// <param name="AllowExactRelease">
/// Whether this node takes part in jobs whose result is released exactly. Off by default: the node cannot tell a
/// steward's choice of exact release from a platform that dropped the noise, so the hospital opts in itself.
/// </param>
/// <param name="MaxRhoPerJob">The largest zCDP budget one differentially private job may spend (the less, the more noise).</param>
/// <param name="AllowExactLeaveOut">
/// Whether this node takes part in exactly released jobs under a t-of-N key set, which go on without nodes that miss a
/// deadline. Off by default: a platform that drops an online node from one of two otherwise equal exact jobs learns
/// that node's contribution from the difference; noise protects a differentially private release from it.
/// </param>
/// <param name="Allow">When a list is given, only jobs it names are served (by researcher, organisation, agreement, aggregation kind; variables: every variable the job reads must be listed).</param>
/// <param name="Deny">Jobs these lists name are refused (variables: a job reading any of them).</param>
/// <param name="MinCellCount">The smallest cell the platform must promise to suppress below for this node to take part; null: the platform's.</param>
/// <param name="DailyJobLimit">The most jobs this node starts serving in one day (UTC), counted in its own audit log; null: no limit.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed partial record NodePolicy(
    int MinSites = NodePolicy.DefaultMinSites, bool AllowExactRelease = false, double MaxRhoPerJob = NodePolicy.DefaultMaxRhoPerJob, bool AllowExactLeaveOut = false,
    NodePolicyList? Allow = null, NodePolicyList? Deny = null, int? MinCellCount = null, int? DailyJobLimit = null)
{
    public const string FileName = "policy.json";
    public const int DefaultMinSites = 3;
    public const double DefaultMaxRhoPerJob = 0.5;

    /// <exception cref="Cli.NodeException">The file is not valid.</exception>
    public static NodePolicy Read(StateFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return Validated(folder.ReadJson<NodePolicy>(FileName) ?? new NodePolicy());
    }

    /// <summary>A policy file that is not (yet) in a state folder, as <c>policy check --file</c> reads it.</summary>
    /// <exception cref="Cli.NodeException">The text is not a valid policy.</exception>
    public static NodePolicy Parse(string json)
    {
        try
        {
            return Validated(JsonSerializer.Deserialize<NodePolicy>(json, DragonJson.Options) ?? throw new Cli.NodeException($"{FileName}: the file is empty."));
        }
        catch (JsonException exception)
        {
            throw new Cli.NodeException($"{FileName} is not valid: {exception.Message}", exception);
        }
    }

    private static NodePolicy Validated(NodePolicy policy)
    {
        var problem = policy switch
        {
            { MinSites: < 2 } => $"minSites must be at least 2, not {policy.MinSites}",
            { MaxRhoPerJob: not (> 0 and <= 10) } => $"maxRhoPerJob must be above 0 and at most 10, not {policy.MaxRhoPerJob.ToString(CultureInfo.InvariantCulture)}",
            { MinCellCount: < 1 } => $"minCellCount must be at least 1, not {policy.MinCellCount}",
            { DailyJobLimit: < 0 } => $"dailyJobLimit must not be negative, not {policy.DailyJobLimit}",
            _ => null,
        };
        return problem is null ? policy : throw new Cli.NodeException($"{FileName}: {problem}.");
    }

    /// <summary>
    /// The rule of this policy the job breaks (its allow and deny lists, its minimum cell count), as a sentence naming the
    /// rule's key; null when it breaks none. The other rules are checked with the manifest (<see cref="TaskVerifier"/>).
    /// </summary>
    public string? Refusal(JobTaskSpec manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var requester = manifest.Requester;
        if (requester is null && ((Allow?.NamesRequesters ?? false) || (Deny?.NamesRequesters ?? false)))
        {
            return $"job {manifest.JobId} does not say who asked for it, and this node's policy allows or denies by researcher, organisation or agreement.";
        }
        var kind = manifest.Aggregation.Kind ?? "";
        var variables = manifest.ReadVariables().ToList();
        var who = requester is null ? "" : $"researcher {requester.ResearcherName} ({requester.ResearcherId}) of {requester.Organisation}, agreement {requester.AgreementId}";
        var denied = Deny switch
        {
            { } deny when requester is not null && Lists(deny.Researchers, requester.ResearcherId) => $"{who}: the researcher is denied (deny.researchers)",
            { } deny when requester is not null && Lists(deny.Organisations, requester.Organisation) => $"{who}: the organisation is denied (deny.organisations)",
            { } deny when requester is not null && Lists(deny.Agreements, requester.AgreementId) => $"{who}: the agreement is denied (deny.agreements)",
            { } deny when Lists(deny.Kinds, kind) => $"aggregation kind '{kind}' is denied (deny.kinds)",
            { } deny when variables.FirstOrDefault(v => Lists(deny.Variables, v)) is { } variable => $"variable '{variable}' is denied (deny.variables)",
            _ => null,
        };
        var notAllowed = Allow switch
        {
            _ when denied is not null => null,
            { Researchers: { } researchers } when requester is not null && !Lists(researchers, requester.ResearcherId) => $"{who}: the researcher is not allowed (allow.researchers)",
            { Organisations: { } organisations } when requester is not null && !Lists(organisations, requester.Organisation) => $"{who}: the organisation is not allowed (allow.organisations)",
            { Agreements: { } agreements } when requester is not null && !Lists(agreements, requester.AgreementId) => $"{who}: the agreement is not allowed (allow.agreements)",
            { Kinds: { } kinds } when !Lists(kinds, kind) => $"aggregation kind '{kind}' is not allowed (allow.kinds)",
            { Variables: { } allowed } when variables.FirstOrDefault(v => !Lists(allowed, v)) is { } variable => $"variable '{variable}' is not allowed (allow.variables)",
            _ => null,
        };
        if ((denied ?? notAllowed) is { } rule)
        {
            return $"job {manifest.JobId}: {rule} by this node's policy.";
        }
        return MinCellCount is { } least && (manifest.MinCellCount ?? 0) < least
            ? $"job {manifest.JobId} suppresses cells below {manifest.MinCellCount?.ToString(CultureInfo.InvariantCulture) ?? "an unstated count"}; this node's policy requires at least {least} (minCellCount)."
            : null;
    }

    /// <summary>
    /// The key of the policy rule a refusal names (the last <c>(key)</c> in it that is one of this file's rules, such as
    /// <c>deny.researchers</c> or <c>minSites</c>): the code the platform is told beside the sentence; null for refusals
    /// by the node's other checks.
    /// </summary>
    public static string? RuleIn(string refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return RuleKey().Matches(refusal).Select(m => m.Groups[1].Value).LastOrDefault();
    }

    [GeneratedRegex(@"\((minSites|allowExactRelease|maxRhoPerJob|allowExactLeaveOut|minCellCount|dailyJobLimit|(?:allow|deny)\.(?:researchers|organisations|agreements|kinds|variables))\)", RegexOptions.CultureInvariant)]
    private static partial Regex RuleKey();

    private static bool Lists(IReadOnlyList<string>? list, string value) => list?.Contains(value, StringComparer.OrdinalIgnoreCase) ?? false;

    private static bool Lists(IReadOnlyList<Guid>? list, Guid value) => list?.Contains(value) ?? false;
}

/// <summary>One of a node policy's allow or deny lists; a list left out does not take part.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record NodePolicyList(
    IReadOnlyList<Guid>? Researchers = null, IReadOnlyList<string>? Organisations = null, IReadOnlyList<Guid>? Agreements = null,
    IReadOnlyList<string>? Kinds = null, IReadOnlyList<string>? Variables = null)
{
    public bool NamesRequesters => Researchers is not null || Organisations is not null || Agreements is not null;
}
