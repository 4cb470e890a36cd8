namespace Dragon.Homomorphic;

/// <summary>
/// Largest total bit count of the coefficient modulus q for 128-bit classical security with a uniform ternary
/// secret and error standard deviation about 3.2, from the Homomorphic Encryption Standard
/// (Albrecht et al., "Homomorphic Encryption Security Standard", HomomorphicEncryption.org, 2018, Table 1),
/// the same table Microsoft SEAL enforces.
/// </summary>
public static class SecurityTable
{
    /// <summary>The maximum total bit count of q for 128-bit security at degree n, or 0 when no value of q is secure.</summary>
    public static int MaxCoeffModulusBits(int polyModulusDegree) => polyModulusDegree switch
    {
        1024 => 27,
        2048 => 54,
        4096 => 109,
        8192 => 218,
        16384 => 438,
        32768 => 881,
        _ => 0,
    };
}
