using Dragon.Node.Cli;

namespace Dragon.Node.Jobs;

/// <summary>A task this node will not serve, and why; thrown only by <see cref="TaskVerifier"/>, before anything is made or sent.</summary>
public sealed class TaskRefusedException(string reason) : NodeException(reason)
{
}
