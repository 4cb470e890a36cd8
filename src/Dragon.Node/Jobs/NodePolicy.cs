using Dragon.Node.State;

namespace Dragon.Node.Jobs;

/// <summary>
/// What this hospital requires of a job before it takes part, whatever the platform allows: kept as
/// <c>policy.json</c> in the state folder (absent: the defaults).
/// </summary>
/// <param name="MinSites">The fewest participating nodes a job may have: an aggregate of fewer sites says too much about each.</param>
public sealed record NodePolicy(int MinSites = NodePolicy.DefaultMinSites)
{
    public const string FileName = "policy.json";
    public const int DefaultMinSites = 3;

    /// <exception cref="Cli.NodeException">The file is not valid.</exception>
    public static NodePolicy Read(StateFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var policy = folder.ReadJson<NodePolicy>(FileName) ?? new NodePolicy();
        return policy.MinSites >= 2 ? policy : throw new Cli.NodeException($"{FileName}: minSites must be at least 2, not {policy.MinSites}.");
    }
}
