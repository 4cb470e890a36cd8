using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>
/// What this hospital requires of a job before it takes part, whatever the platform allows: kept as
/// <c>policy.json</c> in the state folder (absent: the defaults).
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
public sealed record NodePolicy(
    int MinSites = NodePolicy.DefaultMinSites, bool AllowExactRelease = false, double MaxRhoPerJob = NodePolicy.DefaultMaxRhoPerJob, bool AllowExactLeaveOut = false)
{
    public const string FileName = "policy.json";
    public const int DefaultMinSites = 3;
    public const double DefaultMaxRhoPerJob = 0.5;

    /// <exception cref="Cli.NodeException">The file is not valid.</exception>
    public static NodePolicy Read(StateFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var policy = folder.ReadJson<NodePolicy>(FileName) ?? new NodePolicy();
        if (policy.MinSites < 2)
        {
            throw new Cli.NodeException($"{FileName}: minSites must be at least 2, not {policy.MinSites}.");
        }
        return policy.MaxRhoPerJob is > 0 and <= 10 ? policy : throw new Cli.NodeException($"{FileName}: maxRhoPerJob must be above 0 and at most 10, not {policy.MaxRhoPerJob}.");
    }
}
