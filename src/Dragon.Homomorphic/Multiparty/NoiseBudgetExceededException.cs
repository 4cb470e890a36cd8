namespace Dragon.Homomorphic;

/// <summary>
/// Thrown when the requested collective decryption (number of parties, number of summed ciphertexts) would
/// exceed the parameters' noise limit, so the result could be wrong; nothing is computed.
/// </summary>
public sealed class NoiseBudgetExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NoiseBudgetExceededException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public NoiseBudgetExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public NoiseBudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
