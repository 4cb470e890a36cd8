namespace Dragon.Platform.Policies;

/// <summary>A policy file is missing or malformed; the message starts with a stable error code.</summary>
public sealed class PolicyException : Exception
{
    public PolicyException(string message) : base(message)
    {
    }

    public PolicyException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
