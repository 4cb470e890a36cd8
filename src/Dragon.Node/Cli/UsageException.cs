namespace Dragon.Node.Cli;

/// <summary>The command line is wrong (unknown command, missing or repeated option); the agent exits with 2.</summary>
public sealed class UsageException(string message) : Exception(message);
