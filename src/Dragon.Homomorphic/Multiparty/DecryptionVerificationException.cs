namespace Dragon.Homomorphic;

/// <summary>
/// Thrown when combined decryption shares do not decrypt the aggregate within the expected noise bound: a share is
/// missing, duplicated, altered, made for another ciphertext or by a key outside the collective key. No result is
/// returned.
/// </summary>
public sealed class DecryptionVerificationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DecryptionVerificationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DecryptionVerificationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DecryptionVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
