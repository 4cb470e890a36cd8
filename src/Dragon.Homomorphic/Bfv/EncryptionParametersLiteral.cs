namespace Dragon.Homomorphic;

/// <summary>
/// Unchecked description of BFV parameters (JSON-friendly). Turn it into usable parameters with
/// <see cref="EncryptionParameters.Create(EncryptionParametersLiteral, bool)"/>, which validates everything.
/// </summary>
public sealed record EncryptionParametersLiteral
{
    /// <summary>Degree n of the ring Z[X]/(X^n + 1); a power of two.</summary>
    public int PolyModulusDegree { get; set; }

    /// <summary>The distinct primes q_i (each 1 mod 2n, below 2^61) whose product is the ciphertext modulus q.</summary>
    public ulong[] CoeffModulus { get; set; } = [];

    /// <summary>The plaintext modulus t (at least 2, below 2^59 and below every q_i).</summary>
    public ulong PlainModulus { get; set; }
}
