namespace Dragon.Homomorphic;

/// <summary>
/// The one exception every ReadFrom raises for malformed input: wrong magic, version, kind or parameters,
/// inconsistent or oversized lengths, truncation, trailing bytes, or a coefficient not reduced modulo its prime.
/// </summary>
public sealed class InvalidFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InvalidFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public InvalidFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
