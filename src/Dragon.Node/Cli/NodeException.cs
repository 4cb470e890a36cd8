namespace Dragon.Node.Cli;

/// <summary>A command could not do its work (bad file, refused by the platform, unreadable state); the agent exits with 1.</summary>
public class NodeException : Exception
{
    public NodeException(string message) : base(message)
    {
    }

    public NodeException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
